package io.berth.core.webhook;

import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.WebhookStore;
import io.berth.core.spi.meta.WebhookStore.WebhookRecord;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/** Adding, listing and removing webhooks: what {@code berth admin webhooks} does. */
public final class Webhooks {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MetadataStore store;
    private final Clock clock;
    private final ReceiverGuard guard;

    public Webhooks(MetadataStore store, Clock clock, ReceiverGuard guard) {
        this.store = store;
        this.clock = clock;
        this.guard = guard;
    }

    /**
     * Adds a webhook that receives events committed from now on; its cursor starts at the stream's head.
     *
     * @throws IllegalArgumentException for a refused URL (SSRF), an unknown detail-type or a malformed filter
     */
    public WebhookRecord add(String url, Set<String> events, String repositoryFilter) {
        guard.refusal(url).ifPresent(reason -> {
            throw new IllegalArgumentException("webhook URL refused: " + reason);
        });
        for (String e : events) {
            if (!EventEnvelopes.DETAIL_TYPES.contains(e)) {
                throw new IllegalArgumentException("unknown event type '" + e + "'; one of "
                        + EventEnvelopes.sorted(EventEnvelopes.DETAIL_TYPES));
            }
        }
        if (repositoryFilter != null && (repositoryFilter.isBlank()
                || repositoryFilter.indexOf('*') != -1 && repositoryFilter.indexOf('*') != repositoryFilter.length() - 1)) {
            throw new IllegalArgumentException("--repository-filter is a repository name or a prefix ending in *");
        }
        WebhookRecord w = new WebhookRecord("wh-" + hex(8), url, events, repositoryFilter, "whsec_" + hex(32),
                clock.instant());
        store.write(tx -> {
            tx.webhooks().create(w);
            tx.events().subscribe(WebhookStore.subscriber(w.id()), false);
            return null;
        });
        return w;
    }

    public List<WebhookRecord> list() {
        return store.read(tx -> tx.webhooks().list());
    }

    /** Removes the webhook, its log and its cursor (so it no longer holds back event pruning). */
    public boolean remove(String id) {
        return store.write(tx -> {
            tx.events().unsubscribe(WebhookStore.subscriber(id));
            return tx.webhooks().delete(id);
        });
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
