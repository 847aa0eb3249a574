package io.berth.core.spi.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.spi.meta.AuditEvent.UserIdentity;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@link AuditStore} behaviour every {@link MetadataStore} backend must have. Backends subclass in one line. */
public abstract class AbstractAuditStoreContractTest extends AbstractStoreContractTest {

    private static final UserIdentity ROOT = new UserIdentity("Root", "111122223333",
            "arn:aws:iam::111122223333:root", "AKIAROOT0000000000", null);
    private static final UserIdentity ALICE = new UserIdentity("IAMUser", "444455556666",
            "arn:aws:iam::444455556666:user/alice", "AKIAALICE000000000", "alice");

    private static AuditEvent event(int second, String name, UserIdentity who, String repo, String error) {
        return new AuditEvent(T0.plusSeconds(second), name, AuditEvent.SOURCE_ECR, who, "10.0.0." + second,
                "aws-cli/2", "{\"repositoryName\":\"" + repo + "\"}", null, error, error == null ? null : "no",
                "req-" + second, repo, who.accountId());
    }

    private void append(AuditEvent... events) {
        store.write(tx -> {
            tx.audit().append(List.of(events));
            return null;
        });
    }

    private List<AuditEvent> query(AuditQuery q) {
        return store.read(tx -> tx.audit().query(q)).events();
    }

    @Test
    void append_roundTripsEveryField_newestFirst() {
        AuditEvent a = event(1, "CreateRepository", ROOT, "app", null);
        AuditEvent b = new AuditEvent(T0.plusSeconds(2), "PutImage", AuditEvent.SOURCE_REGISTRY,
                UserIdentity.ANONYMOUS, null, null, null, "{\"imageDigest\":\"sha256:ab\"}", "DENIED",
                "denied", "req-2", null, null);
        append(a, b);
        assertThat(query(AuditQuery.latest(10))).containsExactly(b, a);
    }

    @Test
    void query_filtersByTimePrincipalRepositoryAndName() {
        append(event(1, "CreateRepository", ROOT, "app", null), event(2, "PutImage", ROOT, "app", null),
                event(3, "PutImage", ALICE, "web", "AccessDeniedException"),
                event(4, "BatchDeleteImage", ALICE, "app", null));
        assertThat(names(new AuditQuery(T0.plusSeconds(2), T0.plusSeconds(4), null, null, null, 10, null)))
                .as("from inclusive, to exclusive").containsExactly("PutImage", "PutImage");
        assertThat(names(new AuditQuery(null, null, ALICE.arn(), null, null, 10, null)))
                .as("by ARN").containsExactly("BatchDeleteImage", "PutImage");
        assertThat(names(new AuditQuery(null, null, ROOT.accessKeyId(), null, null, 10, null)))
                .as("by access key").containsExactly("PutImage", "CreateRepository");
        assertThat(names(new AuditQuery(null, null, "444455556666", null, null, 10, null)))
                .as("by account").containsExactly("BatchDeleteImage", "PutImage");
        assertThat(names(new AuditQuery(null, null, null, "web", null, 10, null))).containsExactly("PutImage");
        assertThat(names(new AuditQuery(null, null, null, "app", "PutImage", 10, null))).containsExactly("PutImage");
        assertThat(names(new AuditQuery(null, null, "nobody", null, null, 10, null))).isEmpty();
    }

    @Test
    void query_pagesWithCursor() {
        List<AuditEvent> all = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            all.add(event(i, "E" + i, ROOT, "app", null));
        }
        append(all.toArray(AuditEvent[]::new));
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            String c = cursor;
            AuditStore.Page page = store.read(tx -> tx.audit().query(new AuditQuery(null, null, null, null, null,
                    3, c)));
            page.events().forEach(e -> seen.add(e.eventName()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);
        assertThat(seen).containsExactly("E6", "E5", "E4", "E3", "E2", "E1", "E0");
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void append_rollsBackWithItsTransaction() {
        try {
            store.write(tx -> {
                tx.audit().append(List.of(event(1, "CreateRepository", ROOT, "app", null)));
                throw new IllegalStateException("boom");
            });
        } catch (IllegalStateException expected) {
            // the point of the test: the row must not survive
        }
        assertThat(query(AuditQuery.latest(10))).isEmpty();
    }

    @Test
    void deleteBefore_removesOnlyOlderEvents_oldestFirst_atMostLimit() {
        append(event(1, "E1", ROOT, "app", null), event(2, "E2", ROOT, "app", null), event(3, "E3", ROOT, "app", null),
                event(4, "E4", ROOT, "app", null), event(5, "E5", ROOT, "app", null));
        int first = store.write(tx -> tx.audit().deleteBefore(T0.plusSeconds(4), 2));
        assertThat(first).as("a batch of at most 2 of the 3 events before second 4").isEqualTo(2);
        assertThat(names(AuditQuery.latest(10))).as("the oldest go first").containsExactly("E5", "E4", "E3");
        int second = store.write(tx -> tx.audit().deleteBefore(T0.plusSeconds(4), 2));
        assertThat(second).as("the rest before the cutoff").isEqualTo(1);
        assertThat(names(AuditQuery.latest(10))).as("the event at the cutoff and newer are kept")
                .containsExactly("E5", "E4");
        int third = store.write(tx -> tx.audit().deleteBefore(T0.plusSeconds(4), 2));
        assertThat(third).as("nothing left to prune").isZero();
    }

    @Test
    void auditRetention_prunesInBatchesUntilNothingOlderIsLeft() {
        List<AuditEvent> all = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            all.add(event(i % 200, "Old" + i, ROOT, "app", null));
        }
        all.add(new AuditEvent(T0.plus(java.time.Duration.ofDays(100)), "New", AuditEvent.SOURCE_ECR, ROOT, null,
                null, null, null, null, null, "req-new", null, ROOT.accountId()));
        append(all.toArray(AuditEvent[]::new));
        java.time.Clock now = java.time.Clock.fixed(T0.plus(java.time.Duration.ofDays(100)),
                java.time.ZoneOffset.UTC);
        long pruned = new io.berth.core.audit.AuditRetention(store, now).pruneOlderThan(java.time.Duration.ofDays(90));
        assertThat(pruned).as("events 100 days old, retention 90 days, over three batches").isEqualTo(2_500);
        assertThat(names(AuditQuery.latest(10))).as("the event of today is kept").containsExactly("New");
    }

    private List<String> names(AuditQuery q) {
        return query(q).stream().map(AuditEvent::eventName).toList();
    }
}
