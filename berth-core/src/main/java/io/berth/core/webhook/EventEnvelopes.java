package io.berth.core.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.event.EventRecorder;
import io.berth.core.replication.ReplicationTrigger;
import io.berth.core.signing.ImageSigning;
import io.berth.core.spi.meta.RegistryEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The event stream in EventBridge's envelope ({@code version, id, detail-type, source, account, time, region,
 * resources, detail}) with ECR's detail shapes where ECR has the event, and Berth's own detail-types (documented in
 * the README) where it has none. Every envelope's {@code source} is {@code aws.ecr}, so one EventBridge-style rule
 * pattern matches both.
 *
 * <p>"ECR Referrer Action" is a push of a manifest with a {@code subject} (its IMAGE_PUSHED event's detail names
 * it, {@link EventRecorder#REFERRER_PREFIX}); "ECR Scan Resource Change" is a change of the scanning configuration
 * (SETTING_CHANGED, SCANNING), with ECR's {@code SCAN_FREQUENCY_CHANGE}.
 *
 * <p>What has no source event in the stream yet, and so is never sent: "ECR Pull Through Cache Action" (a cached
 * image arrives as an ordinary push by the puller), referrer deletions (a delete event does not record the subject),
 * failed replications and failed signings (only their successful writes are events).
 */
public final class EventEnvelopes {
    public static final String IMAGE_ACTION = "ECR Image Action";
    public static final String IMAGE_SCAN = "ECR Image Scan";
    public static final String REPLICATION_ACTION = "ECR Replication Action";
    public static final String REFERRER_ACTION = "ECR Referrer Action";
    public static final String SCAN_RESOURCE_CHANGE = "ECR Scan Resource Change";
    public static final String LIFECYCLE_ACTION = "Berth Lifecycle Action";
    public static final String SIGNING_ACTION = "Berth Signing Action";
    public static final String TAG_ACTION = "Berth Tag Action";
    public static final String REPOSITORY_ACTION = "Berth Repository Action";
    public static final String SETTING_ACTION = "Berth Setting Action";
    public static final String STORAGE_ACTION = "Berth Storage Action";
    /** Every detail-type an envelope can have: what {@code --events} accepts. */
    public static final Set<String> DETAIL_TYPES = Set.of(IMAGE_ACTION, IMAGE_SCAN, REPLICATION_ACTION,
            REFERRER_ACTION, SCAN_RESOURCE_CHANGE, LIFECYCLE_ACTION, SIGNING_ACTION, TAG_ACTION, REPOSITORY_ACTION, SETTING_ACTION, STORAGE_ACTION);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One event as it is delivered: its idempotency key, its detail-type, and the JSON body. */
    public record Envelope(String id, String detailType, String repository, long position, String json) {}

    private EventEnvelopes() {}

    /**
     * The event's id, the receivers' idempotency key: the same for every delivery of one event (a retry, a second
     * node delivering it again), and different for different events.
     */
    public static String id(RegistryEvent e) {
        String key = "berth-event:" + e.account() + ":" + e.position() + ":" + e.time().toEpochMilli();
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    public static String detailType(RegistryEvent e) {
        return switch (e.type()) {
            case IMAGE_PUSHED -> ImageSigning.ACTOR.equals(e.principal()) ? SIGNING_ACTION
                    : ReplicationTrigger.ACTOR.equals(e.principal()) ? REPLICATION_ACTION
                    : isReferrer(e) ? REFERRER_ACTION : IMAGE_ACTION;
            case IMAGE_DELETED -> "USER".equals(e.reason()) ? IMAGE_ACTION : LIFECYCLE_ACTION;
            case IMAGE_SCANNED -> IMAGE_SCAN;
            case TAG_CHANGED, TAG_REMOVED -> TAG_ACTION;
            case REPOSITORY_CREATED, REPOSITORY_DELETED -> REPOSITORY_ACTION;
            case SETTING_CHANGED -> RegistryEvent.Setting.SCANNING.name().equals(e.reason()) ? SCAN_RESOURCE_CHANGE
                    : SETTING_ACTION;
            case IMAGE_ARCHIVED, IMAGE_ACTIVATING, IMAGE_ACTIVATED -> STORAGE_ACTION;
        };
    }

    public static Envelope of(RegistryEvent e) {
        String type = detailType(e);
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "0");
        root.put("id", id(e));
        root.put("detail-type", type);
        root.put("source", "aws.ecr");
        root.put("account", e.account());
        root.put("time", e.time().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        root.put("region", e.region());
        var resources = root.putArray("resources");
        if (e.repository() != null) {
            resources.add("arn:aws:ecr:" + e.region() + ":" + e.account() + ":repository/" + e.repository());
        }
        root.set("detail", detail(e, type));
        try {
            return new Envelope(id(e), type, e.repository(), e.position(), JSON.writeValueAsString(root));
        } catch (com.fasterxml.jackson.core.JsonProcessingException x) {
            throw new IllegalStateException("an event envelope did not serialise", x);
        }
    }

    private static ObjectNode detail(RegistryEvent e, String type) {
        ObjectNode d = JSON.createObjectNode();
        if (type.equals(REFERRER_ACTION)) {
            return DerivedEcrDetails.of(d, e);
        }
        if (type.equals(SCAN_RESOURCE_CHANGE)) {
            return DerivedEcrDetails.scanResourceChange(d, e);
        }
        if (type.equals(IMAGE_SCAN)) {
            d.put("scan-status", e.reason());
            d.put("repository-name", e.repository());
            d.set("finding-severity-counts", severityCounts(e.detail()));
            d.put("image-digest", String.valueOf(e.digest()));
            var tags = d.putArray("image-tags");
            e.tags().forEach(tags::add);
            return d;
        }
        if (type.startsWith("ECR ")) {
            d.put("result", "SUCCESS");
        }
        d.put("action-type", actionType(e));
        if (e.repository() != null) {
            d.put("repository-name", e.repository());
        }
        if (e.digest() != null) {
            d.put("image-digest", e.digest().toString());
        }
        if (!e.tags().isEmpty()) {
            d.put("image-tag", e.tags().get(0));
        }
        if (!type.startsWith("ECR ")) {
            // Berth's own shapes add what ECR's leave out
            var tags = d.putArray("image-tags");
            e.tags().forEach(tags::add);
            putIfSet(d, "reason", e.reason());
            putIfSet(d, "detail", e.detail());
            d.put("principal", e.principal());
        }
        return d;
    }

    private static String actionType(RegistryEvent e) {
        return switch (e.type()) {
            case IMAGE_PUSHED -> ImageSigning.ACTOR.equals(e.principal()) ? "SIGN"
                    : ReplicationTrigger.ACTOR.equals(e.principal()) ? "REPLICATE" : "PUSH";
            case IMAGE_DELETED -> "USER".equals(e.reason()) ? "DELETE" : "GC".equals(e.reason()) ? "COLLECT" : "EXPIRE";
            case TAG_CHANGED -> "TAG";
            case TAG_REMOVED -> "UNTAG";
            case REPOSITORY_CREATED -> "CREATE";
            case REPOSITORY_DELETED -> "DELETE";
            case SETTING_CHANGED -> "UPDATE";
            case IMAGE_ARCHIVED -> "ARCHIVE";
            case IMAGE_ACTIVATING -> "RESTORE_START";
            case IMAGE_ACTIVATED -> "RESTORE";
            case IMAGE_SCANNED -> "SCAN";
        };
    }

    private static boolean isReferrer(RegistryEvent e) {
        return e.detail() != null && e.detail().startsWith(EventRecorder.REFERRER_PREFIX);
    }

    /** {@code CRITICAL=1 HIGH=4} as ECR's {@code {"CRITICAL": 1, "HIGH": 4}}; what does not parse is left out. */
    private static ObjectNode severityCounts(String detail) {
        ObjectNode counts = JSON.createObjectNode();
        if (detail == null) {
            return counts;
        }
        for (String pair : detail.trim().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    counts.put(pair.substring(0, eq), Integer.parseInt(pair.substring(eq + 1)));
                } catch (NumberFormatException ignored) {
                    // not a count
                }
            }
        }
        return counts;
    }

    private static void putIfSet(ObjectNode d, String field, String value) {
        if (value != null) {
            d.put(field, value);
        }
    }

    /** Whether a webhook with these filters receives the envelope. */
    public static boolean matches(Envelope env, Set<String> events, String repositoryFilter) {
        if (!events.isEmpty() && !events.contains(env.detailType())) {
            return false;
        }
        if (repositoryFilter == null) {
            return true;
        }
        if (env.repository() == null) {
            return false;
        }
        return repositoryFilter.endsWith("*")
                ? env.repository().startsWith(repositoryFilter.substring(0, repositoryFilter.length() - 1))
                : env.repository().equals(repositoryFilter);
    }

    static List<String> sorted(Set<String> types) {
        return types.stream().sorted().toList();
    }
}
