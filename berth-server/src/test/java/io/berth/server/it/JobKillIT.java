package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.spi.meta.JobRecord;
import io.berth.core.spi.meta.JobState;
import io.berth.core.spi.meta.JobStore;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.metadata.jdbc.JdbcConfig;
import io.berth.metadata.jdbc.JdbcMetadataStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job survives {@code kill -9} of the process running it: the packaged server is killed with SIGKILL in the middle
 * of a GC pass (made long by a thousand unreferenced blob records, each removed in transactions of its own), and
 * after a restart on the same data the same job resumes and finishes the pass.
 */
class JobKillIT {
    private static final int BLOBS = 1000;
    private static final Map<String, String> GC_EVERY_SECOND = Map.of("BERTH_GC_INTERVAL", "1s",
            "BERTH_GC_GRACE", "0s");

    @TempDir
    Path data;

    private MetadataStore open() {
        return JdbcMetadataStore.open(JdbcConfig.sqlite(data.resolve("berth.db")));
    }

    private static Optional<JobRecord> gcJob(MetadataStore db, JobState state) {
        return db.read(tx -> tx.jobs().list(new JobStore.Query(state, "gc", 10))).stream().findFirst();
    }

    private static long blobRecords(MetadataStore db) {
        return db.read(tx -> tx.blobs().unreferencedBefore(Instant.now(), null, BLOBS + 1)).size();
    }

    @Test
    void kill9DuringAGcJob_theSameJobResumesAfterTheRestart_andFinishesThePass() throws Exception {
        try (MetadataStore db = open()) {
            db.write(tx -> {
                for (int i = 0; i < BLOBS; i++) {
                    tx.blobs().touch(Digest.sha256Of(("blob " + i).getBytes(StandardCharsets.UTF_8)), 10,
                            Instant.EPOCH);
                }
                return null;
            });
        }
        PackagedServer first = PackagedServer.start(data, GC_EVERY_SECOND);
        JobRecord running;
        long leftAtKill;
        try (MetadataStore db = open()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Optional<JobRecord> found;
            while ((found = gcJob(db, JobState.RUNNING)).isEmpty()) {
                assertThat(System.nanoTime()).as("waited 30 s for the first gc pass to start").isLessThan(deadline);
                Thread.sleep(5);
            }
            running = found.get();
            first.process().destroyForcibly(); // SIGKILL mid-pass: no shutdown hook
            assertThat(first.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
            JobRecord orphan = db.read(tx -> tx.jobs().get(running.id())).orElseThrow();
            leftAtKill = blobRecords(db);
            assertThat(orphan.state()).as("gc job %d after the kill", running.id()).isEqualTo(JobState.RUNNING);
            assertThat(leftAtKill).as("unreferenced blob records left when the pass was killed")
                    .isGreaterThan(0).isLessThanOrEqualTo(BLOBS);
        }

        PackagedServer second = PackagedServer.start(data, GC_EVERY_SECOND);
        try (MetadataStore db = open()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            JobRecord job;
            while ((job = db.read(tx -> tx.jobs().get(running.id())).orElseThrow()).state() != JobState.SUCCEEDED) {
                assertThat(job.state()).as("job %d after the restart", running.id()).isIn(JobState.RUNNING,
                        JobState.QUEUED);
                assertThat(System.nanoTime()).as("waited 60 s for job %d to finish after the restart",
                        running.id()).isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(job.attempts()).as("the killed attempt and the resumed one").isEqualTo(2);
            assertThat(job.leaseOwner()).isNull();
            assertThat(blobRecords(db)).as("unreferenced blob records after the resumed pass (%d were left)",
                    leftAtKill).isZero();
            List<JobRecord> unfinished = db.read(tx -> tx.jobs().list(new JobStore.Query(JobState.QUEUED, "gc", 10)));
            assertThat(unfinished).as("the schedule's next pass, queued when the resumed one finished").hasSize(1);
        } finally {
            second.process().destroy();
            second.process().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
