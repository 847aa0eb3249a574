package io.berth.storage.s3;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Uploads the full parts of appends in the background, at most {@link S3Settings#partConcurrency} at a time over
 * the whole node, so an append reads the client's next part while its earlier ones travel to S3. The bound is on
 * parts in flight, each holding one part buffer: the heap they take is at most that many buffers however many
 * sessions push at once. A part waiting for a permit holds the append (and so the client) back, which is the
 * back-pressure a slow bucket should exert.
 */
final class PartUploader implements AutoCloseable {
    private final ExecutorService pool;
    private final Semaphore inFlight;

    PartUploader(int concurrency) {
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "berth-s3-part-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.inFlight = new Semaphore(concurrency);
    }

    /** The parts of one append. Not thread-safe: the append's thread alone submits and awaits. */
    Batch batch(S3Calls calls, String key) {
        return new Batch(calls, key);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    final class Batch implements AutoCloseable {
        private final S3Calls calls;
        private final String key;
        private final List<Future<UploadState.Part>> parts = new ArrayList<>();

        private Batch(S3Calls calls, String key) {
            this.calls = calls;
            this.key = key;
        }

        /**
         * Starts uploading {@code buffer} as part {@code number} of multipart upload {@code uploadId} and takes it over: it is closed once sent. Waits for
         * a permit first; throws at once if an earlier part of this batch failed, so a broken bucket stops the read.
         */
        void submit(String uploadId, int number, PartBuffer buffer) throws IOException {
            try {
                failFast();
                inFlight.acquire();
            } catch (InterruptedException e) {
                buffer.close();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting to upload part " + number);
            } catch (RuntimeException | IOException e) {
                buffer.close();
                throw e;
            }
            long size = buffer.size();
            try {
                parts.add(pool.submit(() -> {
                    try {
                        return new UploadState.Part(number, calls.uploadPart(key, uploadId, number, buffer.body()),
                                size);
                    } finally {
                        buffer.close();
                        inFlight.release();
                    }
                }));
            } catch (RejectedExecutionException e) {
                buffer.close();
                inFlight.release();
                throw new IOException("the blob store is closing", e);
            }
        }

        /** Waits for every part; returns them in part order, or throws the first failure once all have ended. */
        List<UploadState.Part> await() throws IOException {
            List<UploadState.Part> done = new ArrayList<>(parts.size());
            Throwable failure = null;
            for (Future<UploadState.Part> f : parts) {
                try {
                    done.add(f.get());
                } catch (ExecutionException e) {
                    failure = failure == null ? e.getCause() : failure;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = failure == null ? new InterruptedIOException("interrupted awaiting parts") : failure;
                }
            }
            if (failure instanceof RuntimeException r) {
                throw r;
            }
            if (failure instanceof Error err) {
                throw err;
            }
            if (failure != null) {
                throw failure instanceof IOException io ? io : new IOException(failure);
            }
            return done;
        }

        private void failFast() throws IOException {
            for (Future<UploadState.Part> f : parts) {
                if (f.isDone()) {
                    try {
                        f.get();
                    } catch (ExecutionException e) {
                        await(); // the first failure, once the rest have ended: nothing of this batch runs on
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted");
                    }
                }
            }
        }

        /**
         * Waits until no part of this batch is still being sent, whatever their outcome: before the multipart upload
         * is aborted, or the append returns, nothing of it may still be writing.
         */
        @Override
        public void close() {
            for (Future<UploadState.Part> f : parts) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    // reported by await(); here only the end matters
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
