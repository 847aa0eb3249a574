package io.berth.core.spi.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.spi.meta.MetadataStore.Tx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every contract suite of the {@link MetadataStore} SPI shares: each test gets a fresh, empty store and closes
 * it, plus the fixtures several stores' suites need (a repository, a pushed manifest, a race of writers). A backend
 * runs a suite with a subclass that only says how to open its store.
 */
public abstract class AbstractStoreContractTest {

    protected static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    protected static final int THREADS = 8;

    protected MetadataStore store;

    @TempDir
    protected Path dir;

    /** A new store over an empty, migrated database; {@code dir} is this test's own, for backends that use files. */
    protected abstract MetadataStore newStore(Path dir) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = newStore(dir);
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    protected <T> T w(Function<Tx, T> work) {
        return store.write(work);
    }

    protected <T> T r(Function<Tx, T> work) {
        return store.read(work);
    }

    protected static Digest digest(String seed) {
        return Digest.sha256Of(seed.getBytes(StandardCharsets.UTF_8));
    }

    protected static ManifestRecord manifest(String body) {
        return manifest(body, null, null);
    }

    protected static ManifestRecord manifest(String body, String artifactType, Digest subject) {
        byte[] content = ("{\"body\":\"" + body + "\"}").getBytes(StandardCharsets.UTF_8);
        return new ManifestRecord(Digest.sha256Of(content), MediaTypes.OCI_MANIFEST, artifactType, subject, content,
                1234L, T0);
    }

    /** The ID of repository {@code name} of the default registry, created if needed. */
    protected long repo(String name) {
        return w((Tx tx) -> tx.repositories().getOrCreate(RegistryId.DEFAULT, RepositoryName.of(name), T0)).id();
    }

    /** Creates blob records for {@code blobs} and stores the manifest referencing them. */
    protected ManifestRecord push(long repoId, ManifestRecord m, Digest... blobs) {
        return w((Tx tx) -> {
            for (Digest b : blobs) {
                tx.blobs().touch(b, 10, T0);
            }
            assertThat(tx.blobs().lockLive(List.of(blobs))).containsExactlyInAnyOrder(blobs);
            tx.manifests().putIfAbsent(repoId, m, Set.of(blobs), Set.of());
            return m;
        });
    }

    protected ManifestRecord push(long repoId, String body) {
        return push(repoId, manifest(body));
    }

    /** Runs {@code task} on {@link #THREADS} threads released at once; their results. */
    protected static <T> List<T> runConcurrently(Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
