package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.spi.meta.AuditEvent;
import io.berth.core.spi.meta.AuditQuery;
import io.berth.server.config.AuditConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue #7, item 3 (retention): the server prunes audit events older than {@code audit.retention} in the background
 * (every {@code audit.prune-interval}, 500 ms here), keeps newer ones, and {@code berth admin prune-audit} does the
 * same on demand.
 */
class AuditRetentionIT {
    @RegisterExtension
    static final TestServer server = new TestServer().with(AuditConfig.RETENTION, "30d")
            .with(AuditConfig.PRUNE_INTERVAL, "500ms");

    private static AuditEvent event(String name, Instant at) {
        return new AuditEvent(at, name, AuditEvent.SOURCE_ECR, AuditEvent.UserIdentity.ANONYMOUS, "127.0.0.1",
                "test", null, null, "AccessDeniedException", "denied", "req-" + name, null, TestServer.ACCOUNT);
    }

    private static void append(AuditEvent... events) {
        server.app().stores().metadata().write(tx -> {
            tx.audit().append(List.of(events));
            return null;
        });
    }

    private static List<String> names(String prefix) {
        return server.app().stores().metadata().read(tx -> tx.audit().query(AuditQuery.latest(1000))).events()
                .stream().map(AuditEvent::eventName).filter(n -> n.startsWith(prefix)).toList();
    }

    @Test
    void backgroundPrune_removesEventsOlderThanRetention_keepsNewer() throws Exception {
        Instant now = Instant.now();
        append(event("BgOld31d", now.minus(Duration.ofDays(31))), event("BgOld400d", now.minus(Duration.ofDays(400))),
                event("BgNew4d", now.minus(Duration.ofDays(4))), event("BgNewNow", now));
        List<String> left = names("Bg");
        for (int i = 0; i < 40 && left.size() > 2; i++) {
            Thread.sleep(100);
            left = names("Bg");
        }
        assertThat(left).as("events 31 and 400 days old pruned by the background pass (retention 30d), newer kept")
                .containsExactly("BgNewNow", "BgNew4d");
    }

    /** Every event the other test keeps is newer than 5 days, so the count here is exact in either order. */
    @Test
    void adminPruneAudit_before_deletesOlderEventsAndSaysHowMany() {
        Instant now = Instant.now();
        append(event("CliOld", now.minus(Duration.ofDays(10))), event("CliNew", now.minus(Duration.ofDays(1))));
        String out = server.admin("prune-audit", "--older-than", "5d");
        assertThat(out).as("berth admin prune-audit --older-than 5d").startsWith("Pruned 1 audit events before");
        assertThat(names("Cli")).as("what is left").containsExactly("CliNew");
    }
}
