package io.berth.metadata.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.blob.fs.FileSystemBlobStore;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.gc.GarbageCollector;
import io.berth.core.gc.GcProgress;
import io.berth.core.gc.GcReport;
import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.core.model.Reference;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import io.berth.core.service.BlobContent;
import io.berth.core.service.RegistryService;
import io.berth.core.service.StoreBackedRegistryService;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.meta.MetadataStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry service over real backends (filesystem blobs, SQL metadata): push and pull flows, what a failed
 * push leaves behind (nothing), and online GC while pushes continue. One subclass per database.
 */
abstract class AbstractRegistryServiceTest {
    static final RepositoryName REPO = RepositoryName.of("team/app");

    @TempDir
    Path dir;
    BlobStore blobs;
    MetadataStore metadata;
    MutableClock clock;
    RegistryService service;

    protected abstract MetadataStore newMetadataStore(Path dir);

    @BeforeEach
    void setUp() throws IOException {
        blobs = new FileSystemBlobStore(dir.resolve("blobs"));
        metadata = newMetadataStore(dir);
        clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        service = new StoreBackedRegistryService(blobs, metadata, RegistryId.DEFAULT, clock);
    }

    @AfterEach
    void tearDown() throws IOException {
        metadata.close();
        blobs.close();
    }

    // ---- helpers ----

    static byte[] random(int size) {
        byte[] b = new byte[size];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    Digest push(RegistryService svc, RepositoryName repo, byte[] content) {
        Digest d = Digest.sha256Of(content);
        svc.uploadMonolithic(repo, d, new ByteArrayInputStream(content), content.length);
        return d;
    }

    static byte[] imageManifest(Digest config, int configSize, Digest layer, int layerSize, String subject) {
        String s = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config + "\",\"size\":" + configSize
                + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + layer
                + "\",\"size\":" + layerSize + "}]" + (subject == null ? "" : ",\"subject\":{\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + subject + "\",\"size\":1}") + "}";
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Pushes config + layer + manifest under {@code tag}; returns the manifest bytes. */
    byte[] pushImage(RegistryService svc, RepositoryName repo, String tag, byte[] config, byte[] layer) {
        Digest c = push(svc, repo, config);
        Digest l = push(svc, repo, layer);
        byte[] manifest = imageManifest(c, config.length, l, layer.length, null);
        svc.putManifest(repo, Reference.parse(tag), MediaTypes.OCI_MANIFEST, manifest);
        return manifest;
    }

    static byte[] read(RegistryService svc, RepositoryName repo, Digest d) throws IOException {
        try (BlobContent r = svc.openBlob(repo, d, 0, -1); InputStream in = r.stream()) {
            return in.readAllBytes();
        }
    }

    static ErrorCode codeOf(Runnable r) {
        try {
            r.run();
        } catch (RegistryException e) {
            return e.code();
        }
        return null;
    }

    // ---- flows ----

    @Test
    void pushAndPull_byTagAndDigest_returnsExactBytes() throws IOException {
        byte[] config = random(100);
        byte[] layer = random(5000);
        byte[] manifest = pushImage(service, REPO, "v1", config, layer);
        Digest md = Digest.sha256Of(manifest);

        RegistryService.StoredManifest byTag = service.getManifest(REPO, Reference.parse("v1"));
        assertThat(byTag.content()).isEqualTo(manifest);
        assertThat(byTag.digest()).isEqualTo(md);
        assertThat(byTag.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(service.getManifest(REPO, Reference.parse(md.toString())).content()).isEqualTo(manifest);
        assertThat(read(service, REPO, Digest.sha256Of(layer))).isEqualTo(layer);
        assertThat(service.listTags(REPO, null, 10).items()).containsExactly(Tag.of("v1"));
        assertThat(service.catalog(null, 10).items()).containsExactly(REPO);
    }

    @Test
    void chunkedUpload_outOfOrderChunk_416AndSessionIntact() throws IOException {
        byte[] content = random(3000);
        var session = service.startUpload(REPO);
        service.appendUpload(REPO, session.uploadId(), new ByteArrayInputStream(content, 0, 1000), 0L, 1000);
        ErrorCode code = codeOf(() -> service.appendUpload(REPO, session.uploadId(),
                new ByteArrayInputStream(content, 2000, 1000), 2000L, 1000));
        assertThat(code).as("chunk starting at 2000 while the upload holds 1000 bytes")
                .isEqualTo(ErrorCode.BLOB_UPLOAD_RANGE_INVALID);
        assertThat(service.uploadStatus(REPO, session.uploadId()).size()).isEqualTo(1000);
        service.appendUpload(REPO, session.uploadId(), new ByteArrayInputStream(content, 1000, 1000), 1000L, 1000);
        Digest d = Digest.sha256Of(content);
        service.completeUpload(REPO, session.uploadId(), d, new ByteArrayInputStream(content, 2000, 1000), 2000L,
                1000);
        assertThat(read(service, REPO, d)).isEqualTo(content);
        assertThat(codeOf(() -> service.uploadStatus(REPO, session.uploadId())))
                .as("the session ends with the commit").isEqualTo(ErrorCode.BLOB_UPLOAD_UNKNOWN);
    }

    @Test
    void upload_digestMismatch_storesNothing() throws IOException {
        byte[] content = random(500);
        Digest claimed = Digest.sha256Of(random(10));
        ErrorCode code = codeOf(() -> service.uploadMonolithic(REPO, claimed, new ByteArrayInputStream(content),
                content.length));
        assertThat(code).isEqualTo(ErrorCode.DIGEST_MISMATCH);
        assertThat(blobs.stat(claimed)).isEmpty();
        assertThat(blobs.stat(Digest.sha256Of(content))).isEmpty();
        Optional<io.berth.core.spi.meta.BlobRecord> record = metadata.read(tx -> tx.blobs().get(claimed));
        assertThat(record).as("no record claims the blob").isEmpty();
        assertThat(codeOf(() -> service.statBlob(REPO, claimed))).isEqualTo(ErrorCode.BLOB_UNKNOWN);
    }

    @Test
    void upload_bodyShorterThanContentLength_storesNothing() throws IOException {
        byte[] content = random(500);
        Digest d = Digest.sha256Of(content);
        ErrorCode code = codeOf(() -> service.uploadMonolithic(REPO, d, new ByteArrayInputStream(content, 0, 200),
                content.length));
        assertThat(code).isEqualTo(ErrorCode.BLOB_UPLOAD_INVALID);
        assertThat(blobs.stat(d)).isEmpty();
        assertThat(codeOf(() -> service.statBlob(REPO, d))).isEqualTo(ErrorCode.BLOB_UNKNOWN);
    }

    @Test
    void putManifest_missingBlob_manifestBlobUnknownAndNothingStored() {
        Digest config = push(service, REPO, random(10));
        Digest missing = Digest.sha256Of(random(10));
        byte[] manifest = imageManifest(config, 10, missing, 10, null);
        assertThat(codeOf(() -> service.putManifest(REPO, Reference.parse("v1"), MediaTypes.OCI_MANIFEST,
                manifest))).isEqualTo(ErrorCode.MANIFEST_BLOB_UNKNOWN);
        assertThat(codeOf(() -> service.getManifest(REPO, Reference.parse("v1"))))
                .isEqualTo(ErrorCode.MANIFEST_UNKNOWN);
        assertThat(codeOf(() -> service.getManifest(REPO, Reference.parse(Digest.sha256Of(manifest).toString()))))
                .isEqualTo(ErrorCode.MANIFEST_UNKNOWN);
    }

    @Test
    void putManifest_blobOnlyInOtherRepository_refusedUntilMounted() {
        RepositoryName other = RepositoryName.of("other/app");
        byte[] config = random(10);
        byte[] layer = random(10);
        Digest c = push(service, other, config);
        Digest l = push(service, other, layer);
        byte[] manifest = imageManifest(c, 10, l, 10, null);
        assertThat(codeOf(() -> service.putManifest(REPO, Reference.parse("v1"), MediaTypes.OCI_MANIFEST,
                manifest))).isEqualTo(ErrorCode.MANIFEST_BLOB_UNKNOWN);
        assertThat(service.mount(REPO, c, Optional.of(other))).isPresent();
        assertThat(service.mount(REPO, l, Optional.empty())).as("automatic mount").isPresent();
        service.putManifest(REPO, Reference.parse("v1"), MediaTypes.OCI_MANIFEST, manifest);
        assertThat(service.getManifest(REPO, Reference.parse("v1")).content()).isEqualTo(manifest);
        assertThat(service.mount(REPO, Digest.sha256Of(random(3)), Optional.of(other))).isEmpty();
    }

    @Test
    void referrers_andDeleteByTagAndDigest() {
        byte[] subjectManifest = pushImage(service, REPO, "v1", random(10), random(10));
        Digest subject = Digest.sha256Of(subjectManifest);
        Digest c = push(service, REPO, "{}".getBytes(StandardCharsets.UTF_8));
        Digest l = push(service, REPO, random(20));
        byte[] sig = imageManifest(c, 2, l, 20, subject.toString());
        var pushed = service.putManifest(REPO, Reference.parse(Digest.sha256Of(sig).toString()),
                MediaTypes.OCI_MANIFEST, sig);
        assertThat(pushed.subject()).isEqualTo(subject);
        assertThat(service.referrers(REPO, subject, null)).extracting(d -> d.digest())
                .containsExactly(Digest.sha256Of(sig));
        assertThat(service.referrers(REPO, subject, "application/other")).isEmpty();

        service.deleteManifest(REPO, Reference.parse("v1"));
        assertThat(codeOf(() -> service.getManifest(REPO, Reference.parse("v1"))))
                .isEqualTo(ErrorCode.MANIFEST_UNKNOWN);
        assertThat(service.getManifest(REPO, Reference.parse(subject.toString())).content())
                .as("untagging keeps the image").isEqualTo(subjectManifest);
        service.deleteManifest(REPO, Reference.parse(subject.toString()));
        assertThat(codeOf(() -> service.getManifest(REPO, Reference.parse(subject.toString()))))
                .isEqualTo(ErrorCode.MANIFEST_UNKNOWN);
    }

    @Test
    void sharedDatabase_twoNodes_seeEachOthersTagMovesAndDeletes() {
        RegistryService nodeA = new StoreBackedRegistryService(blobs, metadata, RegistryId.DEFAULT, clock,
                io.berth.core.service.ServiceOptions.sharedDatabase());
        RegistryService nodeB = new StoreBackedRegistryService(blobs, metadata, RegistryId.DEFAULT, clock,
                io.berth.core.service.ServiceOptions.sharedDatabase());
        byte[] first = pushImage(nodeA, REPO, "v1", random(10), random(10));
        assertThat(nodeB.getManifest(REPO, Reference.parse("v1")).content()).isEqualTo(first);
        byte[] second = pushImage(nodeA, REPO, "v1", random(10), random(10));
        assertThat(nodeB.getManifest(REPO, Reference.parse("v1")).content())
                .as("node B after node A moved the tag").isEqualTo(second);
        nodeA.deleteManifest(REPO, Reference.parse(Digest.sha256Of(second).toString()));
        assertThat(codeOf(() -> nodeB.getManifest(REPO, Reference.parse(Digest.sha256Of(second).toString()))))
                .as("node B after node A deleted the manifest").isEqualTo(ErrorCode.MANIFEST_UNKNOWN);
    }

    // ---- garbage collection ----

    @Test
    void gc_removesOnlyUnreferencedBlobsPastGrace() throws IOException {
        byte[] config = random(10);
        byte[] layer = random(1000);
        pushImage(service, REPO, "v1", config, layer);
        Digest orphanOld = push(service, REPO, random(300));
        clock.advance(Duration.ofHours(2));
        Digest orphanFresh = push(service, REPO, random(400));
        GarbageCollector gc = new GarbageCollector(blobs, metadata, Duration.ofHours(1), clock);

        GcReport dry = gc.run(true, GcProgress.NONE);
        assertThat(dry.blobsRemoved()).isEqualTo(1);
        assertThat(dry.bytesRemoved()).isEqualTo(300);
        assertThat(blobs.stat(orphanOld)).as("a dry run deletes nothing").isPresent();

        GcReport real = gc.run(false, GcProgress.NONE);
        assertThat(real.blobsRemoved()).isEqualTo(1);
        assertThat(blobs.stat(orphanOld)).isEmpty();
        assertThat(codeOf(() -> service.statBlob(REPO, orphanOld))).isEqualTo(ErrorCode.BLOB_UNKNOWN);
        assertThat(blobs.stat(orphanFresh)).as("inside the grace period").isPresent();
        assertThat(read(service, REPO, Digest.sha256Of(layer))).as("referenced").isEqualTo(layer);

        service.deleteManifest(REPO, Reference.parse(Digest.sha256Of(imageManifest(Digest.sha256Of(config), 10,
                Digest.sha256Of(layer), 1000, null)).toString()));
        clock.advance(Duration.ofHours(2));
        assertThat(gc.run(false, GcProgress.NONE).blobsRemoved()).as("config, layer and the fresh orphan")
                .isEqualTo(3);
        assertThat(blobs.stat(Digest.sha256Of(layer))).isEmpty();
    }

    @Test
    void gc_abandonedUploadSessionPurgedAfterGrace() throws IOException {
        var session = service.startUpload(REPO);
        service.appendUpload(REPO, session.uploadId(), new ByteArrayInputStream(random(100)), null, -1);
        GarbageCollector gc = new GarbageCollector(blobs, metadata, Duration.ZERO, Clock.offset(Clock.systemUTC(),
                Duration.ofMinutes(1)));
        GcReport report = gc.run(false, GcProgress.NONE);
        assertThat(report.uploadsRemoved()).isEqualTo(1);
        assertThat(report.uploadBytesRemoved()).isEqualTo(100);
        assertThat(codeOf(() -> service.uploadStatus(REPO, session.uploadId())))
                .isEqualTo(ErrorCode.BLOB_UPLOAD_UNKNOWN);
    }

    /**
     * Pushers run while GC runs back to back with a short grace period and real time. Every push must succeed and
     * every pushed image must pull back byte-identical; garbage made along the way must be collected.
     */
    @Test
    void gc_concurrentWithPushes_neverLosesReferencedBlobs() throws Exception {
        RegistryService live = new StoreBackedRegistryService(blobs, metadata, RegistryId.DEFAULT, Clock.systemUTC());
        GarbageCollector gc = new GarbageCollector(blobs, metadata, Duration.ofMillis(1500), Clock.systemUTC());
        Map<String, byte[][]> pushed = new ConcurrentHashMap<>();
        List<Digest> garbage = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] gcPasses = new long[1];
        Thread gcThread = new Thread(() -> {
            while (!stop.get()) {
                try {
                    gc.run(false, GcProgress.NONE);
                    gcPasses[0]++;
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }
        });
        List<Thread> pushers = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            int id = p;
            pushers.add(new Thread(() -> {
                int i = 0;
                while (!stop.get() && failure.get() == null) {
                    try {
                        // Shared layer across pushers: exercises "commit of an existing digest" under GC.
                        byte[] shared = ("shared-" + (i % 5)).getBytes(StandardCharsets.UTF_8);
                        byte[] config = random(50);
                        String tag = "p" + id + "-" + i;
                        byte[] manifest = pushImage(live, REPO, tag, config, shared);
                        pushed.put(tag, new byte[][] {manifest, config, shared});
                        if (i % 3 == 0) {
                            garbage.add(push(live, REPO, random(64)));
                        }
                        i++;
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }
            }));
        }
        gcThread.start();
        pushers.forEach(Thread::start);
        Thread.sleep(4000);
        stop.set(true);
        for (Thread t : pushers) {
            t.join();
        }
        gcThread.join();
        assertThat(failure.get()).as("no push or GC pass failed").isNull();
        assertThat(pushed).as("pushes happened").hasSizeGreaterThan(20);
        assertThat(gcPasses[0]).as("GC passes ran during the pushes").isGreaterThan(1);

        for (var e : pushed.entrySet()) {
            byte[][] v = e.getValue();
            assertThat(live.getManifest(REPO, Reference.parse(e.getKey())).content()).isEqualTo(v[0]);
            assertThat(read(live, REPO, Digest.sha256Of(v[1]))).as("config of %s", e.getKey()).isEqualTo(v[1]);
            assertThat(read(live, REPO, Digest.sha256Of(v[2]))).as("layer of %s", e.getKey()).isEqualTo(v[2]);
        }
        Thread.sleep(1600);
        gc.run(false, GcProgress.NONE);
        for (Digest g : garbage) {
            assertThat(blobs.stat(g)).as("garbage blob %s collected", g).isEmpty();
        }
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }
}
