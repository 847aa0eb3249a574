package io.berth.metadata.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.job.JobRunner;
import io.berth.core.spi.meta.JobRecord;
import io.berth.core.spi.meta.JobState;
import io.berth.core.spi.meta.JobStore;
import io.berth.core.spi.meta.MetadataStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runner on PostgreSQL, plus what only PostgreSQL has: several nodes over one database. Each "node" is a
 * runner over a store of its own (its own connection pool) on the same schema.
 */
class PostgresJobRunnerIT extends AbstractJobRunnerTest {
    private final List<MetadataStore> otherNodes = new ArrayList<>();

    @Override
    protected MetadataStore newStore() { return PostgresTestSchema.openStore(); }

    private MetadataStore anotherNode() {
        MetadataStore s = PostgresTestSchema.sameSchema(store);
        otherNodes.add(s);
        return s;
    }

    @AfterEach
    void closeOtherNodes() {
        otherNodes.forEach(MetadataStore::close);
    }

    @Test
    void twoNodes_neverRunOneJobAtOnce_andRunEachExactlyOnce() throws Exception {
        Map<Long, AtomicInteger> active = new ConcurrentHashMap<>();
        Map<Long, List<String>> runs = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        Body slow = ctx -> {
            long id = ctx.job().id();
            runs.computeIfAbsent(id, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                    .add(ctx.job().leaseOwner());
            if (active.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            try {
                // job 1 outlives several leases: only renewal keeps the other node off it
                Thread.sleep(ctx.job().target().equals("slowest") ? LEASE.toMillis() * 3 : 30);
            } finally {
                active.get(id).decrementAndGet();
            }
        };
        JobRunner a = runner(store, "node-a", 3, List.of(handler("work", slow)), List.of());
        runner(anotherNode(), "node-b", 3, List.of(handler("work", slow)), List.of());
        List<Long> ids = new ArrayList<>();
        ids.add(a.enqueue("work", "slowest", null, 1).orElseThrow().id());
        for (int i = 0; i < 40; i++) {
            ids.add(a.enqueue("work", "job-" + i, null, 1).orElseThrow().id());
        }
        await(() -> store.read(tx -> tx.jobs().list(new JobStore.Query(JobState.SUCCEEDED, "work", 100))).size()
                == ids.size(), Duration.ofSeconds(20), "all 41 jobs to succeed");

        assertThat(overlaps).as("times a job ran on two threads at once").hasValue(0);
        for (long id : ids) {
            assertThat(runs.get(id)).as("runs of job %d", id).hasSize(1);
            assertThat(job(id).attempts()).as("attempts of job %d", id).isEqualTo(1);
        }
        assertThat(runs.values().stream().flatMap(List::stream).distinct())
                .as("nodes that ran jobs").containsExactlyInAnyOrder("node-a", "node-b");
    }

    @Test
    void nodeDies_aRunningOtherNodeTakesItsJobOver() throws Exception {
        CountDownLatch startedOnA = new CountDownLatch(1);
        JobRunner a = runner(store, "node-a", 1, List.of(handler("long", ctx -> {
            startedOnA.countDown();
            Thread.sleep(60_000);
        })), List.of());
        long id = a.enqueue("long", "", null, 2).orElseThrow().id();
        assertThat(startedOnA.await(5, TimeUnit.SECONDS)).isTrue();
        List<String> ranOn = java.util.Collections.synchronizedList(new ArrayList<>());
        runner(anotherNode(), "node-b", 1, List.of(handler("long", ctx -> ranOn.add(ctx.job().leaseOwner()))),
                List.of());
        Thread.sleep(LEASE.toMillis() * 2);
        assertThat(ranOn).as("node-b while node-a still renews its lease of job %d", id).isEmpty();

        a.close(); // node-a dies mid-job
        JobRecord done = awaitState(id, JobState.SUCCEEDED, Duration.ofSeconds(5));
        assertThat(ranOn).as("runners of job %d after node-a died", id).containsExactly("node-b");
        assertThat(done.attempts()).isEqualTo(2);
    }
}
