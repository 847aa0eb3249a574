package io.berth.metadata.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.spi.meta.MetadataStore.Tx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit on SQLite: writers that queue share a commit, and each still sees exactly its own outcome. */
class SqliteGroupCommitTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final int THREADS = 8;
    private static final int WRITES = 15;

    @TempDir
    Path dir;

    @Test
    void write_concurrentWriters_shareCommitsAndFailuresStayTheirOwn() throws Exception {
        try (JdbcMetadataStore store = JdbcMetadataStore.open(JdbcConfig.sqlite(dir.resolve("b.db")))) {
            long[] before = store.sqliteCommitsAndWrites();
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Thread worker = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < WRITES; i++) {
                            writeOne(store, "t" + thread + "-" + i, (thread + i) % 3 == 0, i % 2 == 0, problems);
                        }
                    } catch (Exception e) {
                        problems.add(e.toString());
                    }
                });
                worker.start();
                threads.add(worker);
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(problems).isEmpty();
            long[] after = store.sqliteCommitsAndWrites();
            assertThat(after[1] - before[1]).isEqualTo(THREADS * WRITES);
            // writes hold the lock for a millisecond each, so the queue is never empty for long
            assertThat(after[0] - before[0]).isLessThan(THREADS * WRITES / 2);
            for (int t = 0; t < THREADS; t++) {
                for (int i = 0; i < WRITES; i++) {
                    assertThat(exists(store, "t" + t + "-" + i)).as("t%d-%d", t, i).isEqualTo((t + i) % 3 != 0);
                }
            }
            // an unsynced batch never leaves the writer connection in the weaker mode
            int synchronous = store.write(tx -> JdbcMetadataStore.sqlOf(tx).one("PRAGMA synchronous",
                    rs -> rs.getInt(1)).orElseThrow());
            assertThat(synchronous).isEqualTo(2);
        }
    }

    /** Creates the repository, then fails when told to; checks it sees its own outcome at once from a reader. */
    private static void writeOne(JdbcMetadataStore store, String name, boolean fail, boolean durable,
                                 ConcurrentLinkedQueue<String> problems) {
        java.util.function.Function<Tx, Long> work = tx -> {
            long id = tx.repositories().getOrCreate(RegistryId.DEFAULT, RepositoryName.of(name), T0).id();
            sleep();
            if (fail) {
                throw new IllegalArgumentException("refused " + name);
            }
            return id;
        };
        try {
            long id = durable ? store.write(work) : store.writeUnsynced(work);
            if (fail) {
                problems.add(name + " succeeded");
            } else if (!exists(store, name) || id <= 0) {
                problems.add(name + " not visible after its write returned");
            }
        } catch (IllegalArgumentException e) {
            if (!fail || !e.getMessage().equals("refused " + name)) {
                problems.add(name + ": " + e);
            }
        }
    }

    @Test
    void write_insideWrite_isRefusedAndTheOuterWriteStillCommits() {
        try (JdbcMetadataStore store = JdbcMetadataStore.open(JdbcConfig.sqlite(dir.resolve("b.db")))) {
            store.write(tx -> {
                tx.repositories().getOrCreate(RegistryId.DEFAULT, RepositoryName.of("outer"), T0);
                assertThatThrownBy(() -> store.write(inner -> null)).isInstanceOf(IllegalStateException.class);
                return null;
            });
            assertThat(exists(store, "outer")).isTrue();
        }
    }

    private static boolean exists(JdbcMetadataStore store, String name) {
        return store.read(tx -> tx.repositories().get(RegistryId.DEFAULT, RepositoryName.of(name))).isPresent();
    }

    private static void sleep() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
