package io.berth.server.http.oci;

import io.berth.core.error.RegistryException;
import io.berth.core.model.Digest;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.BlobContent;
import io.berth.core.service.RegistryService.BlobStat;
import io.berth.server.http.oci.Ranges.ByteRange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.BufferUtil;

/** HEAD/GET/DELETE {@code /v2/<name>/blobs/<digest>}. */
final class BlobEndpoints {
    /** Read size of a download: large enough that the per-write overhead vanishes, small enough to keep per thread. */
    private static final int CHUNK = 1024 * 1024;
    /**
     * One direct buffer per request thread, reused: a direct buffer goes from the file to the socket with no copy
     * through the heap, and allocating one per request would churn direct memory (freed only by GC).
     */
    private static final ThreadLocal<ByteBuffer> BUFFER = ThreadLocal.withInitial(
            () -> ByteBuffer.allocateDirect(CHUNK));
    /** A stream's writes: a decrypted batch or two at a time. */
    private static final int STREAM_CHUNK = 512 * 1024;
    /** How long a redirect's presigned URL works: the client follows it at once, so minutes are plenty. */
    static final java.time.Duration REDIRECT_VALIDITY = java.time.Duration.ofMinutes(10);



    private final io.berth.core.signing.PullGate pullGate;

    BlobEndpoints(io.berth.core.signing.PullGate pullGate) {
        this.pullGate = pullGate;
    }

    void get(Exchange ex) throws IOException {
        RepositoryName repo = ex.repo();
        Digest digest = Digest.parse(ex.arg());
        BlobStat stat = ex.service.statBlob(repo, digest);
        if (!ex.isHead()) {
            pullGate.checkBlob(ex.registry, repo, digest); // verification on pull: not a refused image's layers
            // storage.redirect: the store serves the bytes (and any Range) itself; only the access check was ours
            Optional<java.net.URI> redirect = ex.service.blobRedirect(repo, digest, REDIRECT_VALIDITY);
            if (redirect.isPresent()) {
                ex.header(HttpHeader.LOCATION, redirect.get().toString())
                        .header("Docker-Content-Digest", digest.toString());
                ex.sendEmpty(307);
                return;
            }
        }
        ByteRange range;
        try {
            range = Ranges.parseRange(ex.requestHeader(HttpHeader.RANGE), stat.size());
        } catch (RegistryException e) {
            ex.header(HttpHeader.CONTENT_RANGE, "bytes */" + stat.size());
            throw e;
        }
        long offset = range == null ? 0 : range.start();
        long length = range == null ? stat.size() : range.length();
        String digestText = digest.toString();
        ex.header(HttpHeader.CONTENT_TYPE, "application/octet-stream")
                .header("Docker-Content-Digest", digestText)
                .header(HttpHeader.ACCEPT_RANGES, "bytes")
                .header(HttpHeader.ETAG, '"' + digestText + '"');
        ex.response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        int status = 200;
        if (range != null) {
            status = 206;
            ex.header(HttpHeader.CONTENT_RANGE, "bytes " + range.start() + "-" + range.end() + "/" + stat.size());
        }
        ex.response.setStatus(status);
        if (ex.isHead() || length == 0) {
            ex.response.write(true, BufferUtil.EMPTY_BUFFER, ex.callback);
            return;
        }
        try (BlobContent reader = ex.service.openBlob(repo, digest, offset, length)) {
            Optional<FileChannel> channel = reader.fileChannel();
            if (channel.isPresent()) {
                sendFile(ex, channel.get(), length);
            } else {
                try (InputStream in = reader.stream()) {
                    sendStream(ex, in, length);
                }
            }
        }
        ex.callback.succeeded();
    }

    /**
     * Sends {@code length} bytes from the channel's position through the thread's buffer. Not memory-mapped:
     * mapped file pages count as the process's resident memory until the mapping is collected, so a few large
     * downloads would push the RSS far past the footprint the launcher sizes the JVM for.
     */
    private static void sendFile(Exchange ex, FileChannel channel, long length) throws IOException {
        long pos = channel.position();
        long end = pos + length;
        ByteBuffer buf = BUFFER.get();
        while (pos < end) {
            buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
            while (buf.hasRemaining()) {
                int n = channel.read(buf, pos + buf.position());
                if (n < 0) {
                    throw new IOException("blob shorter than its recorded size");
                }
            }
            pos += buf.position();
            write(ex, buf.flip(), pos == end);
        }
    }

    /**
     * Sends {@code length} bytes of a stream (a decrypted or remote blob) in writes of up to {@link #STREAM_CHUNK}:
     * {@code transferTo} through an OutputStream wrote 8 KiB at a time, each a blocking round through Jetty, which
     * held an encrypted download to a quarter of the plain one.
     */
    private static void sendStream(Exchange ex, InputStream in, long length) throws IOException {
        // per download, not per thread: 200 request threads each keeping one would hold a large share of the heap
        byte[] buf = new byte[(int) Math.min(STREAM_CHUNK, length)];
        long sent = 0;
        while (sent < length) {
            int n = in.readNBytes(buf, 0, (int) Math.min(buf.length, length - sent));
            if (n <= 0) {
                throw new IOException("blob shorter than its recorded size");
            }
            sent += n;
            write(ex, ByteBuffer.wrap(buf, 0, n), sent == length);
        }
    }

    private static void write(Exchange ex, ByteBuffer buf, boolean last) throws IOException {
        try (Blocker.Callback cb = Blocker.callback()) {
            ex.response.write(last, buf, cb);
            cb.block();
        }
    }

    void delete(Exchange ex) {
        ex.service.deleteBlob(ex.repo(), Digest.parse(ex.arg()));
        ex.sendEmpty(202);
    }
}
