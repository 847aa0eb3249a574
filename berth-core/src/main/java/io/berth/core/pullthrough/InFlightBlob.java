package io.berth.core.pullthrough;

import io.berth.core.model.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * One blob on its way from the upstream: its bytes are spooled to a temporary file as they arrive, and any number
 * of clients read that file as it grows (a tee: the first pull streams rather than waits). The last byte is held
 * back from readers until the whole blob hashed to its digest and had the length it was declared with, so a client
 * of a blob that turns out wrong never receives all of it: its connection is cut. Only then is the spool committed
 * to the blob store (by {@link BlobFetches}), and the spool is removed.
 *
 * <p>States: {@code STARTING} (no upstream answer yet), {@code STREAMING}, {@code VERIFIED} (all bytes readable,
 * being committed), {@code STORED}, {@code FAILED}.
 */
final class InFlightBlob {
    enum State { STARTING, STREAMING, VERIFIED, STORED, FAILED }

    final Digest digest;
    private final Path spool;
    private State state = State.STARTING;
    private long length = -1; // declared: the manifest's descriptor size, else the upstream's Content-Length
    private long written;
    private String failure;

    InFlightBlob(Digest digest, Path spool) {
        this.digest = digest;
        this.spool = spool;
    }

    /**
     * Copies {@code body} into the spool, hashing it, refusing more bytes than {@code declared} (or a body that
     * ends short of it) and any bytes that do not hash to the digest. Returns normally when verified.
     */
    void receive(InputStream body, long declared) throws IOException {
        synchronized (this) {
            length = declared;
            state = State.STREAMING;
            notifyAll();
        }
        MessageDigest md = digest.algorithm().newMessageDigest();
        byte[] buf = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(spool, StandardOpenOption.WRITE)) {
            for (int n; (n = body.read(buf)) > 0; ) {
                if (declared >= 0 && written + n > declared) {
                    throw new UpstreamClient.UpstreamException("the upstream sent blob " + digest + " longer than "
                            + "the " + declared + " bytes it declared; nothing was stored", 200);
                }
                out.write(buf, 0, n);
                out.flush();
                md.update(buf, 0, n);
                progressed(n);
            }
        }
        if (declared >= 0 && written != declared) {
            throw new UpstreamClient.UpstreamException("the upstream sent " + written + " bytes of blob " + digest
                    + ", not the " + declared + " it declared; nothing was stored", 200);
        }
        Digest got = Digest.of(digest.algorithm(), md.digest());
        if (!got.equals(digest)) {
            throw new UpstreamClient.UpstreamException("the upstream sent blob " + digest + " whose bytes hash to "
                    + got + "; nothing was stored", 200);
        }
        synchronized (this) {
            length = written;
            state = State.VERIFIED;
            notifyAll();
        }
    }

    private synchronized void progressed(long n) {
        written += n;
        notifyAll();
    }

    Path spool() { return spool; }

    synchronized long written() { return written; }

    synchronized void stored() {
        state = State.STORED;
        notifyAll();
    }

    synchronized void failed(String why) {
        state = State.FAILED;
        failure = why;
        notifyAll();
    }

    /** The declared length once the upstream answered (-1 when it named none); throws when the fetch failed. */
    synchronized long awaitLength() throws IOException {
        while (state == State.STARTING) {
            await();
        }
        if (state == State.FAILED) {
            throw new UpstreamClient.UpstreamException(failure, 0);
        }
        return length;
    }

    /** Waits for the commit; throws with the reason when the blob was refused or could not be stored. */
    synchronized void awaitStored() throws IOException {
        while (state != State.STORED && state != State.FAILED) {
            await();
        }
        if (state == State.FAILED) {
            throw new UpstreamClient.UpstreamException(failure, 0);
        }
    }

    /**
     * A channel on the spool for a reader, or null once the blob is stored (read it from the store then); throws
     * when the fetch failed. Under the monitor {@link #removeSpool} takes, so a channel is never opened on a spool
     * that is gone.
     */
    synchronized FileChannel openSpool() throws IOException {
        if (state == State.STORED) {
            return null;
        }
        if (state == State.FAILED) {
            throw new UpstreamClient.UpstreamException(failure, 0);
        }
        return FileChannel.open(spool, StandardOpenOption.READ);
    }

    /** After the commit or the failure: open readers keep their channels; the file's name goes. */
    synchronized void removeSpool() {
        try {
            Files.deleteIfExists(spool);
        } catch (IOException e) {
            // a temporary file: the next start's tmp cleaning removes it
        }
    }

    /**
     * Bytes a reader may have from {@code position} on: blocks until there are some, 0 at the end; throws when the
     * blob failed (the reader's client then loses its connection).
     */
    private synchronized long readable(long position) throws IOException {
        while (true) {
            if (state == State.FAILED) {
                throw new IOException("pull-through: " + failure);
            }
            boolean complete = state == State.VERIFIED || state == State.STORED;
            long readable = complete ? written : Math.max(0, written - 1); // the last byte waits for the check
            if (readable > position || complete) {
                return readable - position;
            }
            await();
        }
    }

    private void await() throws IOException {
        try {
            wait(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the upstream blob " + digest);
        }
    }

    /**
     * A stream of {@code length} bytes from {@code offset}, read from the spool as it grows; the caller opened the
     * channel while the spool existed (it stays readable after the spool's removal).
     */
    InputStream reader(FileChannel channel, long offset, long length) {
        return new InputStream() {
            private long pos = offset;
            private final long end = offset + length;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos >= end) {
                    return -1;
                }
                long can = Math.min(readable(pos), end - pos);
                if (can <= 0) {
                    throw new IOException("pull-through: blob " + digest + " ended before the requested range");
                }
                int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, can)), pos);
                if (n < 0) {
                    throw new IOException("pull-through: spool of " + digest + " ended early");
                }
                pos += n;
                return n;
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }
}
