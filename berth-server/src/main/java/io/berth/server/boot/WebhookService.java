package io.berth.server.boot;

import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.webhook.ReceiverGuard;
import io.berth.core.webhook.WebhookDispatcher;
import io.berth.core.webhook.WebhookSender;
import io.berth.server.config.BerthConfig;
import io.berth.server.config.WebhooksConfig;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;

/** The webhook and JSON-lines deliveries as a background service of {@code serve}. */
final class WebhookService implements BackgroundService {
    /** Delivery threads: a slow receiver holds one for at most the send timeout; the rest keep going. */
    private static final int THREADS = 4;

    private final WebhookDispatcher dispatcher;

    /** @param node this node's name: the owner of the webhook leases it takes */
    WebhookService(MetadataStore store, Clock clock, BerthConfig config, java.util.function.IntSupplier boundPort,
                   io.berth.core.secrets.SecretSealer sealer, String node) {
        WebhooksConfig w = config.webhooks();
        this.dispatcher = new WebhookDispatcher(store, clock, new WebhookSender(guard(config, boundPort), clock),
                new WebhookDispatcher.Settings(w.maxAttempts(), w.retryBackoff(), WebhooksConfig.MAX_BACKOFF,
                        THREADS, w.eventsFile(), node), sealer);
    }

    /** The SSRF guard for this configuration: Berth's own ports are those it listens on. */
    static ReceiverGuard guard(BerthConfig config, java.util.function.IntSupplier boundPort) {
        return new ReceiverGuard(config.webhooks().allowPrivate(), () -> {
            Set<Integer> own = new HashSet<>();
            own.add(config.http().port());
            own.add(boundPort.getAsInt()); // the port a configured 0 was bound to
            if (config.management().host().isPresent()) {
                own.add(config.management().port());
            }
            return own;
        });
    }

    @Override public String name() { return "webhooks"; }

    @Override public void start() { dispatcher.start(); }

    @Override public void close() { dispatcher.close(); }
}
