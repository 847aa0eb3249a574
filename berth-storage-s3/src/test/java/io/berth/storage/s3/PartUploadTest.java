package io.berth.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.Digest;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.blob.BlobUpload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Parts uploaded in parallel ({@code storage.s3.part-concurrency}): bounded over the node, in part order in the
 * session state, and a part that fails for good fails the append without advancing the session or leaving a
 * multipart upload behind.
 */
class PartUploadTest {
    private static final int PART = S3Settings.MIN_PART_SIZE;

    /** An S3 whose UploadPart takes a while and can fail for one part number; nothing else is called. */
    private static final class SlowParts implements S3Client {
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();
        final int failing;

        SlowParts(int failing) {
            this.failing = failing;
        }

        @Override
        public UploadPartResponse uploadPart(UploadPartRequest request, RequestBody body) {
            calls.incrementAndGet();
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try (InputStream in = body.contentStreamProvider().newStream()) {
                long n = in.transferTo(java.io.OutputStream.nullOutputStream());
                Thread.sleep(150);
                if (request.partNumber() == failing) {
                    throw software.amazon.awssdk.services.s3.model.S3Exception.builder().statusCode(500)
                            .message("injected failure of part " + failing).build();
                }
                return UploadPartResponse.builder().eTag("etag-" + request.partNumber() + "-" + n).build();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                inFlight.decrementAndGet();
            }
        }

        @Override public String serviceName() { return "s3"; }

        @Override public void close() { }
    }

    private static PartBuffer filled(int size, long seed) throws IOException {
        PartBuffer b = new PartBuffer();
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        b.fill(new ByteArrayInputStream(bytes), size, null);
        return b;
    }

    @Test
    void partsTravelInParallel_upToTheBound_andComeBackInPartOrder() throws IOException {
        SlowParts s3 = new SlowParts(-1);
        try (PartUploader uploader = new PartUploader(3)) {
            PartUploader.Batch batch = uploader.batch(new S3Calls(s3, "b", false), "k");
            long start = System.nanoTime();
            for (int n = 1; n <= 7; n++) {
                batch.submit("mpu", n, filled(1000 + n, n));
            }
            List<UploadState.Part> parts = batch.await();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(parts).extracting(UploadState.Part::number).containsExactly(1, 2, 3, 4, 5, 6, 7);
            assertThat(parts).extracting(UploadState.Part::etag).containsExactly("etag-1-1001", "etag-2-1002",
                    "etag-3-1003", "etag-4-1004", "etag-5-1005", "etag-6-1006", "etag-7-1007");
            assertThat(s3.maxInFlight.get()).as("parts in flight at once").isEqualTo(3);
            assertThat(millis).as("7 parts of 150 ms, 3 at a time").isLessThan(7 * 150);
        }
    }

    @Test
    void theBoundIsPerNode_notPerAppend() throws Exception {
        SlowParts s3 = new SlowParts(-1);
        try (PartUploader uploader = new PartUploader(2)) {
            Thread[] appends = new Thread[3];
            for (int t = 0; t < appends.length; t++) {
                int seed = t;
                appends[t] = new Thread(() -> {
                    try {
                        PartUploader.Batch batch = uploader.batch(new S3Calls(s3, "b", false), "k" + seed);
                        for (int n = 1; n <= 3; n++) {
                            batch.submit("mpu", n, filled(100, seed * 10L + n));
                        }
                        batch.await();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                appends[t].start();
            }
            for (Thread t : appends) {
                t.join(10_000);
            }
        }
        assertThat(s3.calls.get()).isEqualTo(9);
        assertThat(s3.maxInFlight.get()).as("three appends share the node's two slots").isEqualTo(2);
    }

    @Test
    void aFailedPart_failsTheBatch_onlyAfterEveryPartHasEnded() throws IOException {
        SlowParts s3 = new SlowParts(2);
        try (PartUploader uploader = new PartUploader(4)) {
            PartUploader.Batch batch = uploader.batch(new S3Calls(s3, "b", false), "k");
            for (int n = 1; n <= 4; n++) {
                batch.submit("mpu", n, filled(100, n));
            }
            assertThatThrownBy(batch::await).isInstanceOfSatisfying(RegistryException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
            assertThat(s3.inFlight.get()).as("nothing still sending when the failure is reported").isZero();
        }
    }

    @Test
    void aLargeAppend_onRealS3_isManyPartsInOrder_andCommitsByteIdentical() throws Exception {
        String prefix = "parts-" + UUID.randomUUID();
        byte[] content = S3Fixture.random(5 * PART + 12345, 7);
        try (S3BlobStore store = S3BlobStore.open(S3Fixture.settings(prefix).withPartConcurrency(4),
                S3Fixture.CREDENTIALS)) {
            String id;
            try (BlobUpload upload = store.startUpload()) {
                id = upload.id();
                upload.append(new ByteArrayInputStream(content), -1); // one request, five parts
            }
            UploadState state = store.readState(id).orElseThrow();
            assertThat(state.parts()).extracting(UploadState.Part::number).containsExactly(1, 2, 3, 4, 5);
            assertThat(state.tailSize()).isEqualTo(12345);
            try (BlobUpload upload = store.resumeUpload(id)) {
                upload.commit(Digest.sha256Of(content));
            }
            assertThat(S3Fixture.read(store, Digest.sha256Of(content))).isEqualTo(content);
        }
    }

    /**
     * Part 3 of an append fails for good (after the SDK's retries, as a bucket refusing it would): the append fails
     * with UNAVAILABLE, the session's state stays as the previous append left it, and the session goes on from its
     * acknowledged size once S3 takes parts again.
     */
    @Test
    void aPartThatFailsForGood_failsTheAppend_andTheSessionStaysAtItsLastAcknowledgedSize() throws Exception {
        String prefix = "parts-" + UUID.randomUUID();
        byte[] content = S3Fixture.random(6 * PART + 99, 8);
        java.util.concurrent.atomic.AtomicBoolean failPart3 = new java.util.concurrent.atomic.AtomicBoolean(true);
        try (S3BlobStore store = S3BlobStore.openAround(S3Fixture.settings(prefix).withPartConcurrency(2),
                S3Fixture.CREDENTIALS, real -> failingPart(real, 3, failPart3))) {
            String id;
            try (BlobUpload upload = store.startUpload()) {
                id = upload.id();
                upload.append(new ByteArrayInputStream(content, 0, PART + 10), -1); // part 1 and a tail: acknowledged
            }
            UploadState acknowledged = store.readState(id).orElseThrow();
            try (BlobUpload upload = store.resumeUpload(id)) {
                assertThatThrownBy(() -> upload.append(new ByteArrayInputStream(content, PART + 10,
                        content.length - PART - 10), -1)).isInstanceOfSatisfying(RegistryException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
            }
            assertThat(store.readState(id).orElseThrow()).isEqualTo(acknowledged);
            failPart3.set(false);
            try (BlobUpload upload = store.resumeUpload(id)) {
                assertThat(upload.size()).isEqualTo(PART + 10);
                upload.append(new ByteArrayInputStream(content, PART + 10, content.length - PART - 10), -1);
                upload.commit(Digest.sha256Of(content));
            }
            assertThat(S3Fixture.read(store, Digest.sha256Of(content))).isEqualTo(content);
        }
    }

    /** {@code real}, except that UploadPart of part {@code number} fails with a 500 while {@code failing}. */
    private static S3Client failingPart(S3Client real, int number, java.util.concurrent.atomic.AtomicBoolean failing) {
        return (S3Client) java.lang.reflect.Proxy.newProxyInstance(S3Client.class.getClassLoader(),
                new Class<?>[] {S3Client.class}, (proxy, method, args) -> {
                    if (method.getName().equals("uploadPart") && failing.get()) {
                        UploadPartRequest request;
                        if (args[0] instanceof UploadPartRequest r) {
                            request = r;
                        } else {
                            UploadPartRequest.Builder b = UploadPartRequest.builder();
                            @SuppressWarnings("unchecked")
                            java.util.function.Consumer<UploadPartRequest.Builder> fill =
                                    (java.util.function.Consumer<UploadPartRequest.Builder>) args[0];
                            fill.accept(b);
                            request = b.build();
                        }
                        if (request.partNumber() == number) {
                            throw software.amazon.awssdk.services.s3.model.S3Exception.builder().statusCode(500)
                                    .message("injected: part " + number + " refused").build();
                        }
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

}
