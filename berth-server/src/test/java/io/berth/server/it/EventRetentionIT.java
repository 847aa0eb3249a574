package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.spi.meta.EventStore;
import io.berth.core.spi.meta.RegistryEvent;
import io.berth.server.config.EventsConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 9 §1 (retention): {@code serve} prunes, every {@code events.prune-interval} (500 ms here), the events older
 * than {@code events.retention} that every subscriber has acknowledged, and keeps what a subscriber still owes.
 */
class EventRetentionIT {
    @RegisterExtension
    static final TestServer server = new TestServer().with(EventsConfig.RETENTION, "7d")
            .with(EventsConfig.PRUNE_INTERVAL, "500ms");

    private static RegistryEvent event(String repo, Instant at) {
        return RegistryEvent.unsequenced(RegistryEvent.Type.REPOSITORY_CREATED, TestServer.ACCOUNT, "us-east-1",
                repo, null, List.of(), "anonymous", null, null, at);
    }

    private static List<String> repositories() {
        return server.app().stores().metadata().read(tx -> tx.events().list(new EventStore.Filter(null, null, 0,
                1000))).stream().map(RegistryEvent::repository).filter(r -> r.startsWith("ret/")).toList();
    }

    @Test
    void backgroundPrune_removesOldAcknowledgedEvents_keepsNewerOnes_andThoseASubscriberOwes() throws Exception {
        Instant now = Instant.now();
        List<RegistryEvent> stored = server.app().stores().metadata().write(tx -> {
            tx.events().subscribe("slow", true);
            return tx.events().append(List.of(event("ret/old-acked", now.minus(Duration.ofDays(8))),
                    event("ret/old-owed", now.minus(Duration.ofDays(30))), event("ret/new", now)));
        });
        server.app().stores().metadata().write(tx -> {
            tx.events().ack("slow", stored.get(0).position());
            return null;
        });
        List<String> left = repositories();
        for (int i = 0; i < 40 && left.size() > 2; i++) {
            Thread.sleep(100);
            left = repositories();
        }
        assertThat(left).as("8 days old and acked: pruned; 30 days old but not acked by 'slow': kept; new: kept")
                .containsExactly("ret/old-owed", "ret/new");
    }
}
