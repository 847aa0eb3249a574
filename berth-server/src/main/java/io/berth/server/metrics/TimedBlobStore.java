package io.berth.server.metrics;

import io.berth.core.model.Digest;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.blob.BlobUpload;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Times the calls into a {@link BlobStore} ({@code berth_blobstore_seconds{operation,outcome}}), whichever store it
 * is, and an upload's appends and commit. Opening a blob for reading is timed; the streaming to the client that
 * follows is the request's, and shows in its latency.
 * The full walks ({@code forEach}, GC's) are not timed per call: they are the GC job's duration.
 */
public record TimedBlobStore(BlobStore delegate, BerthMetrics metrics, StoreCallObserver observer)
        implements BlobStore {
    static final String METER = "berth.blobstore";
    /** The store's name to a {@link StoreCallObserver}. */
    public static final String STORE = "blobstore";

    public TimedBlobStore(BlobStore delegate, BerthMetrics metrics) { this(delegate, metrics, StoreCallObserver.NONE); }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException;
    }

    private <T> T timed(String operation, Call<T> call) throws IOException {
        StoreCallObserver.Call observed = observer.begin(STORE, operation);
        long start = System.nanoTime();
        boolean ok = false;
        try {
            T result = call.run();
            ok = true;
            return result;
        } finally {
            metrics.storeCall(METER, operation, ok, System.nanoTime() - start);
            observed.end(ok);
        }
    }

    @FunctionalInterface
    private interface VoidCall {
        void run() throws IOException;
    }

    private void timedVoid(String operation, VoidCall call) throws IOException {
        timed(operation, () -> {
            call.run();
            return null;
        });
    }

    @Override public String describe() { return delegate.describe(); }

    @Override
    public Optional<BlobInfo> stat(Digest digest) throws IOException { return timed("stat", () -> delegate.stat(digest)); }

    @Override
    public BlobReader open(Digest digest, long offset, long length) throws IOException {
        return timed("open", () -> delegate.open(digest, offset, length));
    }

    @Override
    public BlobUpload startUpload() throws IOException {
        return new TimedUpload(timed("start_upload", delegate::startUpload));
    }

    @Override
    public BlobUpload resumeUpload(String uploadId) throws IOException {
        return new TimedUpload(timed("resume_upload", () -> delegate.resumeUpload(uploadId)));
    }

    /**
     * An upload whose append (the store's write of a chunk, a part on S3: it includes reading the client's bytes)
     * and commit (the digest check and the final move or multipart completion) are timed.
     */
    private final class TimedUpload implements BlobUpload {
        private final BlobUpload upload;

        TimedUpload(BlobUpload upload) { this.upload = upload; }

        @Override public String id() { return upload.id(); }

        @Override public long size() { return upload.size(); }

        @Override
        public long append(java.io.InputStream in, long maxBytes) throws IOException {
            return timed("append", () -> upload.append(in, maxBytes));
        }

        @Override
        public BlobInfo commit(Digest expected) throws IOException {
            return timed("commit", () -> upload.commit(expected));
        }

        @Override
        public void cancel() throws IOException {
            timedVoid("cancel", upload::cancel);
        }

        @Override public void close() throws IOException { upload.close(); }
    }

    @Override
    public boolean delete(Digest digest) throws IOException { return timed("delete", () -> delegate.delete(digest)); }

    @Override
    public boolean archive(Digest digest) throws IOException {
        return timed("archive", () -> delegate.archive(digest));
    }

    @Override
    public boolean restore(Digest digest) throws IOException {
        return timed("restore", () -> delegate.restore(digest));
    }

    @Override
    public Optional<BlobInfo> statArchived(Digest digest) throws IOException {
        return timed("stat_archived", () -> delegate.statArchived(digest));
    }

    @Override public void forEach(Consumer<BlobInfo> visitor) throws IOException { delegate.forEach(visitor); }

    @Override
    public void forEachUpload(Consumer<UploadInfo> visitor) throws IOException { delegate.forEachUpload(visitor); }

    @Override
    public Optional<URI> redirectUrl(Digest digest, Duration validity) { return delegate.redirectUrl(digest, validity); }

    @Override
    public void checkHealth() throws IOException {
        timedVoid("health", delegate::checkHealth);
    }

    @Override public void close() throws IOException { delegate.close(); }
}
