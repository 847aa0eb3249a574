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
}
