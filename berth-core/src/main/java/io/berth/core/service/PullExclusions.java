package io.berth.core.service;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;
import io.berth.core.spi.meta.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ECR's pull-time update exclusions: principals whose pulls leave {@code lastRecordedPullTime} alone, so scanners
 * and replicators do not keep images "recently pulled". The pull path asks {@link #excluded} once per recorded
 * pull; answers are kept for {@link #TTL}, so another node's change is seen within that time, and this node's own
 * changes at once.
 */
public final class PullExclusions {
    static final Duration TTL = Duration.ofSeconds(10);
    private static final int MAX_ENTRIES = 10_000;

    private record Key(RegistryId registryId, String principalArn) {}

    private record Answer(boolean excluded, long until) {}

    private final MetadataStore metadata;
    private final Clock clock;
    private final ConcurrentHashMap<Key, Answer> answers = new ConcurrentHashMap<>();

    PullExclusions(MetadataStore metadata, Clock clock) {
        this.metadata = metadata;
        this.clock = clock;
    }

    /** Whether pulls by {@code principalArn} (null: anonymous, never excluded) must not update pull times. */
    boolean excluded(RegistryId registryId, String principalArn) {
        if (principalArn == null) {
            return false;
        }
        Key key = new Key(registryId, principalArn);
        long now = clock.millis();
        Answer a = answers.get(key);
        if (a != null && now < a.until()) {
            return a.excluded();
        }
        boolean excluded = metadata.read(tx -> tx.pullExclusions().get(registryId, principalArn)).isPresent();
        if (answers.size() >= MAX_ENTRIES) {
            answers.clear(); // bounded; costs one read per principal
        }
        answers.put(key, new Answer(excluded, now + TTL.toMillis()));
        return excluded;
    }

    /** When it was registered; ExclusionAlreadyExists when the principal is excluded already. */
    public Instant register(RegistryId registryId, String principalArn) {
        Instant now = clock.instant();
        boolean added = metadata.write(tx -> tx.pullExclusions().add(registryId, principalArn, now));
        answers.remove(new Key(registryId, principalArn));
        if (!added) {
            throw new RegistryException(ErrorCode.EXCLUSION_ALREADY_EXISTS, "The principal ARN '" + principalArn
                    + "' is already excluded from pull time updates in the registry with id '" + registryId + "'");
        }
        return now;
    }

    /** ExclusionNotFound when the principal is not excluded. */
    public void deregister(RegistryId registryId, String principalArn) {
        boolean removed = metadata.write(tx -> tx.pullExclusions().remove(registryId, principalArn));
        answers.remove(new Key(registryId, principalArn));
        if (!removed) {
            throw new RegistryException(ErrorCode.EXCLUSION_NOT_FOUND, "The principal ARN '" + principalArn
                    + "' is not excluded from pull time updates in the registry with id '" + registryId + "'");
        }
    }

    /** Excluded ARNs in byte order after {@code afterArn} (null for the start), at most {@code limit}. */
    public List<String> list(RegistryId registryId, String afterArn, int limit) {
        return metadata.read(tx -> tx.pullExclusions().list(registryId, afterArn, limit));
    }
}
