package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.spi.meta.JobRecord;
import io.berth.core.spi.meta.JobState;
import io.berth.core.spi.meta.JobStore;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.server.MainAccess;
import io.berth.server.config.AuditConfig;
import io.berth.server.config.GcConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job runner inside {@code serve}: GC is a scheduled job on its interval, and {@code berth admin jobs} lists,
 * retries and cancels jobs beside the running server.
 */
class JobsIT {
    @RegisterExtension
    static final TestServer server = new TestServer().with(GcConfig.INTERVAL, "1s").with(GcConfig.GRACE, "0s")
            .with(AuditConfig.RETENTION, "0");

    private static MetadataStore db() { return server.app().stores().metadata(); }

    private static List<JobRecord> jobs(JobState state, String kind) {
        return db().read(tx -> tx.jobs().list(new JobStore.Query(state, kind, 100)));
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 15 s for %s", what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void gc_runsAsAScheduledJob_onItsInterval_andRemovesAnUnreferencedBlob() throws Exception {
        Digest blob = server.pushBlob("gc-job", "nothing references me".getBytes(StandardCharsets.UTF_8));
        Instant pushed = Instant.now();
        await(() -> jobs(JobState.SUCCEEDED, "gc").stream().filter(j -> j.updatedAt().isAfter(pushed)).count() >= 2,
                "two gc passes after the push (gc.interval 1s)");
        assertThat(server.head("/v2/gc-job/blobs/" + blob).statusCode())
                .as("HEAD of blob %s, pushed without a manifest, after GC passes with grace 0", blob).isEqualTo(404);
        List<JobRecord> passes = jobs(JobState.SUCCEEDED, "gc").stream()
                .filter(j -> "schedule:gc".equals(j.uniqueKey())).toList();
        assertThat(passes).as("scheduled gc passes that succeeded").hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(j -> assertThat(j.progress()).startsWith("GC removed"));
        assertThat(passes.stream().anyMatch(j -> j.progress().startsWith("GC removed 1 blob ")))
                .as("some pass reports removing the one blob; passes: %s", passes).isTrue();
        assertThat(jobs(null, "gc").stream().filter(j -> !j.state().finished()).count())
                .as("unfinished gc occurrences").isEqualTo(1);
        assertThat(jobs(null, "audit-prune")).as("audit-prune jobs with audit.retention 0").isEmpty();
    }

    @Test
    void adminJobs_listsFiltersCancelsAndRetries() throws Exception {
        await(() -> !jobs(JobState.SUCCEEDED, "gc").isEmpty(), "a gc pass");
        String listed = server.admin("jobs", "--kind", "gc", "--state", "succeeded");
        assertThat(listed).as("berth admin jobs --kind gc --state succeeded").contains("KIND", "gc", "SUCCEEDED",
                "GC removed").doesNotContain("QUEUED");

        // a job no handler would run soon: due in an hour, so it stays queued while this test works on it
        long id = db().write(tx -> tx.jobs().enqueue(new JobStore.NewJob("gc", "", null, 3,
                Instant.now().plusSeconds(3600)), Instant.now())).orElseThrow().id();
        assertThat(server.admin("jobs", "--state", "QUEUED")).as("listing of queued jobs").contains(id + " ");
        assertThat(server.admin("jobs", "cancel", Long.toString(id))).isEqualTo("Cancelled job " + id + "\n");
        assertThat(db().read(tx -> tx.jobs().get(id)).orElseThrow().state()).isEqualTo(JobState.CANCELLED);

        assertThat(server.admin("jobs", "retry", Long.toString(id))).isEqualTo("Queued job " + id + "\n");
        await(() -> db().read(tx -> tx.jobs().get(id)).orElseThrow().state() == JobState.SUCCEEDED,
                "retried job " + id + " to run");
        assertThat(server.admin("audit", "--event", "RetryJob")).as("audit trail of the retry").contains("RetryJob");

        Refusal again = refused("jobs", "cancel", Long.toString(id));
        assertThat(again.code()).as("exit code of cancelling succeeded job %d", id).isEqualTo(1);
        assertThat(again.stderr()).isEqualTo("berth: job " + id + " is SUCCEEDED; only QUEUED or RUNNING jobs can "
                + "be cancelled\n");
        Refusal missing = refused("jobs", "retry", "999999");
        assertThat(missing.stderr()).as("retry of job 999999").isEqualTo("berth: no job 999999\n");
    }

    record Refusal(int code, String stderr) {}

    private static Refusal refused(String... args) {
        String[] full = new String[args.length + 3];
        full[0] = "admin";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--data";
        full[args.length + 2] = server.data().toString();
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = MainAccess.execute(full);
        } finally {
            System.setErr(saved);
        }
        return new Refusal(code, captured.toString(StandardCharsets.UTF_8));
    }
}
