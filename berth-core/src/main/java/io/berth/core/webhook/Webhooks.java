package io.berth.core.webhook;

import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.WebhookStore;
import io.berth.core.spi.meta.WebhookStore.WebhookRecord;
import io.berth.core.secrets.SecretSealer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
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
    private final SecretSealer sealer;

    /** A webhook as added, with its signing secret in the clear: shown once, stored only sealed. */
    public record Added(WebhookRecord webhook, String secret) {}

    public Webhooks(MetadataStore store, Clock clock, ReceiverGuard guard, SecretSealer sealer) {
        this.store = store;
        this.clock = clock;
        this.guard = guard;
        this.sealer = sealer;
    }

    /** The associated data a webhook's sealed secret is bound to: it opens on that webhook's row only. */
    static String context(String webhookId) {
        return "webhook-secret:" + webhookId;
    }

    /** The signing secret of {@code w}, opened from its sealed form. */
    static String secret(SecretSealer sealer, WebhookRecord w) {
        return new String(sealer.open(context(w.id()), Base64.getDecoder().decode(w.secret())),
                StandardCharsets.UTF_8);
    }

    /**
     * Adds a webhook that receives events committed from now on; its cursor starts at the stream's head.
     *
     * @throws IllegalArgumentException for a refused URL (SSRF), an unknown detail-type or a malformed filter
     */
    public Added add(String url, Set<String> events, String repositoryFilter) {
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
        String id = "wh-" + hex(8);
        String secret = "whsec_" + hex(32);
        String sealed = Base64.getEncoder().encodeToString(sealer.seal(context(id),
                secret.getBytes(StandardCharsets.UTF_8)));
        WebhookRecord w = new WebhookRecord(id, url, events, repositoryFilter, sealed, clock.instant());
        store.write(tx -> {
            tx.webhooks().create(w);
            tx.events().subscribe(WebhookStore.subscriber(w.id()), false);
            return null;
        });
        return new Added(w, secret);
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
