package io.berth.metadata.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.blob.fs.FileSystemBlobStore;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.core.model.Reference;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.RegistryService;
import io.berth.core.service.RegistryServices;
import io.berth.core.service.ServiceOptions;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.meta.MetadataStore;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Read caches over PostgreSQL kept coherent by LISTEN/NOTIFY: two nodes (two stores, two service sets, two feeds)
 * over one schema. A warm manifest GET by tag costs no statement; another node's tag move, manifest delete and
 * repository delete reach this node's cache within a second; with the feed gone nothing is served from memory.
 */
class PostgresChangeFeedIT {
    static final RepositoryName REPO = RepositoryName.of("feed/app");

    @TempDir
    Path dir;
    BlobStore blobs;
    MetadataStore storeA;
    MetadataStore storeB;
    PostgresChangeFeed feedA;
    PostgresChangeFeed feedB;
    RegistryService a;
    RegistryService b;

    @BeforeEach
    void twoNodes() throws Exception {
        blobs = new FileSystemBlobStore(dir.resolve("blobs"));
        storeA = PostgresTestSchema.openStore();
        storeB = PostgresTestSchema.sameSchema(storeA);
        feedA = PostgresChangeFeed.forDatabase(PostgresTestSchema.configOf(storeA));
        feedB = PostgresChangeFeed.forDatabase(PostgresTestSchema.configOf(storeA));
        a = node(storeA, feedA);
        b = node(storeB, feedB);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!(feedA.live() && feedB.live()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(feedB.live()).as("feed connected").isTrue();
    }

    private RegistryService node(MetadataStore store, PostgresChangeFeed feed) {
        RegistryServices services = new RegistryServices(blobs, store, Clock.systemUTC(),
                ServiceOptions.coherentSharedDatabase(), feed);
        feed.start(services.cacheInvalidations());
        return services.forRegistry(RegistryId.DEFAULT);
    }

    @AfterEach
    void close() throws Exception {
        feedA.close();
        feedB.close();
        storeB.close();
        storeA.close();
        blobs.close();
    }

    @Test
    void aWarmManifestGetByTag_costsNoStatement() throws Exception {
        byte[] manifest = pushImage(a, "v1", 1);
        assertThat(b.getManifest(REPO, Reference.parse("v1")).content()).isEqualTo(manifest);
        Thread.sleep(300); // A's own push notifications reach B a moment later and drop what B just cached
        b.getManifest(REPO, Reference.parse("v1"));
        long before = statements(storeB);
        for (int i = 0; i < 50; i++) {
            assertThat(b.getManifest(REPO, Reference.parse("v1")).content()).isEqualTo(manifest);
        }
        assertThat(statements(storeB) - before).as("statements for 50 warm GETs").isZero();
    }

    @Test
    void anotherNodesTagMove_manifestDelete_andRepositoryDelete_reachTheCacheWithinASecond() throws Exception {
        pushImage(a, "v1", 1);
        assertThat(digestOn(b, "v1")).isNotNull(); // warm on B
        byte[] second = pushImage(a, "v1", 2);
        Digest moved = Digest.sha256Of(second);
        assertThat(within(() -> moved.equals(digestOn(b, "v1")))).as("tag move seen").isLessThan(1000);

        a.deleteManifest(REPO, Reference.parse(moved.toString()));
        assertThat(within(() -> manifestUnknown(() -> b.getManifest(REPO, Reference.parse(moved.toString())))))
                .as("manifest delete seen").isLessThan(1000);

        pushImage(a, "v2", 3);
        assertThat(digestOn(b, "v2")).isNotNull();
        storeA.write(tx -> tx.repositories().delete(tx.repositories().get(RegistryId.DEFAULT, REPO).orElseThrow().id()));
        assertThat(within(() -> {
            try {
                b.getManifest(REPO, Reference.parse("v2"));
                return false;
            } catch (RegistryException e) {
                return e.code() == ErrorCode.NAME_UNKNOWN || e.code() == ErrorCode.MANIFEST_UNKNOWN;
            }
        })).as("repository delete seen").isLessThan(1000);
    }

    @Test
    void withTheFeedDown_nothingIsServedFromMemory() throws Exception {
        byte[] manifest = pushImage(a, "v1", 1);
        b.getManifest(REPO, Reference.parse("v1"));
        feedB.close();
        assertThat(feedB.live()).isFalse();
        long before = statements(storeB);
        assertThat(b.getManifest(REPO, Reference.parse("v1")).content()).isEqualTo(manifest);
        assertThat(statements(storeB) - before).as("a GET reads the database").isPositive();
    }

    private byte[] pushImage(RegistryService svc, String tag, int seed) {
        byte[] config = ("{\"seed\":" + seed + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] layer = AbstractRegistryServiceTest.random(100 + seed);
        Digest c = Digest.sha256Of(config);
        Digest l = Digest.sha256Of(layer);
        svc.uploadMonolithic(REPO, c, new ByteArrayInputStream(config), config.length);
        svc.uploadMonolithic(REPO, l, new ByteArrayInputStream(layer), layer.length);
        byte[] manifest = AbstractRegistryServiceTest.imageManifest(c, config.length, l, layer.length, null);
        svc.putManifest(REPO, Reference.parse(tag), MediaTypes.OCI_MANIFEST, manifest);
        return manifest;
    }

    private static Digest digestOn(RegistryService svc, String tag) {
        return svc.getManifest(REPO, Reference.parse(tag)).digest();
    }

    private static boolean manifestUnknown(Runnable r) {
        return AbstractRegistryServiceTest.codeOf(r) == ErrorCode.MANIFEST_UNKNOWN;
    }

    private static long statements(MetadataStore store) {
        return PostgresTestSchema.jdbc(store).statementsPrepared();
    }

    /** Milliseconds until {@code condition} held (polled every 10 ms), or Long.MAX_VALUE after 5 s. */
    private static long within(Supplier<Boolean> condition) throws InterruptedException {
        long start = System.nanoTime();
        while (System.nanoTime() - start < Duration.ofSeconds(5).toNanos()) {
            if (condition.get()) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            Thread.sleep(10);
        }
        return Long.MAX_VALUE;
    }
}
