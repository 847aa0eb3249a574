package io.berth.metadata.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.job.EventTrigger;
import io.berth.core.job.EventTriggers;
import io.berth.core.job.JobHandler;
import io.berth.core.job.JobRunner;
import io.berth.core.spi.meta.JobState;
import io.berth.core.spi.meta.JobStore;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.RegistryEvent;
import io.berth.core.spi.meta.RegistryEvent.Type;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Events start jobs through {@link EventTriggers}: each matching event once, across a restart of the dispatcher, and
 * events that are not the trigger's start nothing. The jobs run on a real {@link JobRunner} over a real database.
 */
abstract class AbstractEventTriggersTest extends JobRunnerFixture {
    static final String ACCOUNT = "111122223333";
    private final List<EventTriggers> dispatchers = new ArrayList<>();
    protected final List<String> ran = Collections.synchronizedList(new ArrayList<>());

    /** Scan on push, as the scanner will register it: one job per pushed image, keyed by the image. */
    static final EventTrigger SCAN_ON_PUSH = new EventTrigger() {
        @Override public String subscriber() { return "test-scan-on-push"; }

        @Override
        public Optional<TriggeredJob> jobFor(RegistryEvent e) {
            return e.type() == Type.IMAGE_PUSHED
                    ? Optional.of(new TriggeredJob("scan", e.repository() + "@" + e.digest(), null, 3))
                    : Optional.empty();
        }
    };

    static io.berth.core.model.Digest digestOf(String seed) {
        return io.berth.core.model.Digest.sha256Of(seed.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    protected JobHandler scanHandler() {
        return handler("scan", ctx -> ran.add(ctx.job().target()));
    }

    protected EventTriggers dispatcher(MetadataStore over, JobRunner runner) {
        EventTriggers t = new EventTriggers(over, Clock.systemUTC(), runner, List.of(SCAN_ON_PUSH),
                Duration.ofMillis(20));
        dispatchers.add(t);
        t.start();
        return t;
    }

    @AfterEach
    void closeDispatchers() {
        dispatchers.forEach(EventTriggers::close);
    }

    protected void push(String repo, int n) {
        store.write(tx -> tx.events().append(List.of(RegistryEvent.unsequenced(Type.IMAGE_PUSHED, ACCOUNT,
                "eu-west-1", repo, digestOf("image-" + repo + n), List.of("v" + n),
                "arn:aws:iam::111122223333:user/ci", null, null, Instant.now()))));
    }

    protected void tagMoved(String repo) {
        store.write(tx -> tx.events().append(List.of(RegistryEvent.unsequenced(Type.TAG_CHANGED, ACCOUNT,
                "eu-west-1", repo, digestOf("moved-" + repo), List.of("latest"),
                "arn:aws:iam::111122223333:user/ci", null, null, Instant.now()))));
    }

    protected int scanJobs() {
        return store.read(tx -> tx.jobs().list(new JobStore.Query(null, "scan", 1000))).size();
    }

    @Test
    void eachPushStartsOneJob_otherEventsNone_andARestartedDispatcherRepeatsNothing() throws Exception {
        JobRunner runner = runner("node-a", scanHandler());
        push("old", 0); // before the trigger existed: a new trigger does not act on history
        EventTriggers first = dispatcher(store, runner);
        push("app", 1);
        tagMoved("app");
        push("app", 2);
        await(() -> ran.size() == 2, Duration.ofSeconds(5), "2 scans");
        first.close();

        push("app", 3); // while no dispatcher runs
        dispatcher(store, runner);
        await(() -> ran.size() == 3, Duration.ofSeconds(5), "the scan of the push made while none ran");
        Thread.sleep(200);
        assertThat(ran).as("scans after pushes 1, 2, a tag move, a restart and push 3").containsExactlyInAnyOrder(
                "app@" + digestOf("image-app1"),
                "app@" + digestOf("image-app2"),
                "app@" + digestOf("image-app3"));
        assertThat(scanJobs()).as("scan jobs in the table").isEqualTo(3);
        List<io.berth.core.spi.meta.JobRecord> succeeded = store.read(tx -> tx.jobs().list(
                new JobStore.Query(JobState.SUCCEEDED, "scan", 10)));
        assertThat(succeeded).as("succeeded scan jobs").hasSize(3);
    }
}
