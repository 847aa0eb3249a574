package io.berth.metadata.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.job.JobRunner;
import io.berth.core.spi.meta.JobRecord;
import io.berth.core.spi.meta.JobState;
import io.berth.core.spi.meta.MetadataStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner on SQLite, where one node runs everything (restarts included: a new runner over the same file). */
class SqliteJobRunnerTest extends AbstractJobRunnerTest {
    @TempDir
    Path dir;

    @Override
    protected MetadataStore newStore() {
        return JdbcMetadataStore.open(JdbcConfig.sqlite(dir.resolve("berth.db")));
    }

    @Test
    void restartedSingleNode_resumesWhatItsPreviousProcessLeftRunning_withoutWaitingForTheLease() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        JobRunner first = runner(store, "process-1", 1, List.of(handler("long", ctx -> {
            started.countDown();
            Thread.sleep(60_000);
        })), List.of(), true);
        long id = first.enqueue("long", "", null, 3).orElseThrow().id();
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        first.close(); // the process dies
        JobRecord orphan = job(id);

        runner(store, "process-2", 1, List.of(handler("long", ctx -> { })), List.of(), true);
        JobRecord done = awaitState(id, JobState.SUCCEEDED, Duration.ofSeconds(5));
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(done.updatedAt()).as("finished by process-2; process-1's lease would have run until %s",
                orphan.leaseExpiresAt()).isBefore(orphan.leaseExpiresAt());
    }
}
