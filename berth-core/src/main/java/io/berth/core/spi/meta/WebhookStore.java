package io.berth.core.spi.meta;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Webhook receivers and their delivery log. A webhook's delivery cursor is not kept here: it is the position of its
 * event-stream subscriber ({@link #subscriber}), so it is persisted and held against pruning as every subscriber is.
 */
public interface WebhookStore {

    /** The event-stream subscriber that holds a webhook's delivery cursor. */
    static String subscriber(String webhookId) {
        return "webhook:" + webhookId;
    }

    /**
     * @param events           the detail-types delivered ("ECR Image Action", ...); empty for all
     * @param repositoryFilter a repository name, or a prefix ending in {@code *}; null for every repository
     * @param secret           the HMAC-SHA256 key deliveries are signed with, sealed under the master key (base64)
     */
    record WebhookRecord(String id, String url, Set<String> events, String repositoryFilter, String secret,
                         Instant createdAt) {
        public WebhookRecord {
            events = Set.copyOf(events);
        }
    }

    /** How an attempt ended: DELIVERED (2xx), FAILED (will be retried), DEAD (the last attempt failed). */
    enum DeliveryStatus { DELIVERED, FAILED, DEAD }

    /**
     * One delivery attempt.
     *
     * @param httpStatus 0 when no response came (connection refused, timeout, refused address)
     * @param error      why it failed, short; null when delivered
     */
    record DeliveryRecord(String webhookId, String eventId, long position, String detailType, String repository,
                          int attempt, DeliveryStatus status, int httpStatus, String error, Instant at) {}

    void create(WebhookRecord webhook);

    Optional<WebhookRecord> get(String id);

    /** Every webhook, oldest first. */
    List<WebhookRecord> list();

    /** Deletes the webhook and its delivery log; false when there was none. */
    boolean delete(String id);

    void recordDelivery(DeliveryRecord delivery);

    /** How many attempts to deliver the event at {@code position} the log holds (the count survives a restart). */
    int attempts(String webhookId, long position);

    /** The newest {@code limit} attempts, newest first; of one webhook, or of all when {@code webhookId} is null. */
    List<DeliveryRecord> deliveries(String webhookId, DeliveryStatus status, int limit);

    /**
     * Takes or renews the delivery lease of a webhook for {@code owner} (a node) until {@code until}, with a
     * conditional write: it succeeds when no node holds the lease, when {@code owner} holds it, or when the
     * holder's lease expired before {@code now}. Only the holder delivers the webhook, so on several nodes each event
     * goes out once (a node that dies mid-delivery can still leave one duplicate, hence the idempotency key).
     */
    boolean lease(String webhookId, String owner, Instant now, Instant until);

    /** Ends {@code owner}'s leases (a node stopping), so another node takes its webhooks over at once. */
    void releaseLeases(String owner);

    /** The node holding the webhook's lease while it is unexpired at {@code now}. */
    Optional<String> leaseHolder(String webhookId, Instant now);
}
