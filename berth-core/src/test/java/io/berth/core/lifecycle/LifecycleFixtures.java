package io.berth.core.lifecycle;

import io.berth.core.lifecycle.LifecyclePolicy.Action;
import io.berth.core.lifecycle.LifecyclePolicy.ActionType;
import io.berth.core.lifecycle.LifecyclePolicy.CountType;
import io.berth.core.lifecycle.LifecyclePolicy.Rule;
import io.berth.core.lifecycle.LifecyclePolicy.Selection;
import io.berth.core.lifecycle.LifecyclePolicy.StorageClass;
import io.berth.core.lifecycle.LifecyclePolicy.TagStatus;
import io.berth.core.model.Digest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Hand-built images and rules for the evaluator's tests; images are named, and their digest is the name's hash. */
final class LifecycleFixtures {
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    private LifecycleFixtures() {}

    static Digest digest(String name) {
        return Digest.sha256Of(name.getBytes(StandardCharsets.UTF_8));
    }

    static Instant daysAgo(double days) {
        return NOW.minus(Duration.ofMinutes(Math.round(days * 24 * 60)));
    }

    /** A standard image pushed {@code pushedDaysAgo}, never pulled, not archived, not referenced, no subject. */
    static Img image(String name, double pushedDaysAgo, String... tags) {
        return new Img(name, Set.of(tags), StorageClass.STANDARD, daysAgo(pushedDaysAgo), null, null, null, false,
                null);
    }

    /** A mutable-by-copy builder so each test states only what matters to its rule. */
    record Img(String name, Set<String> tags, StorageClass storageClass, Instant pushedAt, Instant lastActivatedAt,
               Instant lastPulledAt, Instant transitionedAt, boolean referencedByIndex, String subject) {
        Img pulled(double daysAgo) {
            return new Img(name, tags, storageClass, pushedAt, lastActivatedAt, LifecycleFixtures.daysAgo(daysAgo),
                    transitionedAt, referencedByIndex, subject);
        }

        Img activated(double daysAgo) {
            return new Img(name, tags, storageClass, pushedAt, LifecycleFixtures.daysAgo(daysAgo), lastPulledAt,
                    transitionedAt, referencedByIndex, subject);
        }

        Img archived(double daysAgo) {
            return new Img(name, tags, StorageClass.ARCHIVE, pushedAt, lastActivatedAt, lastPulledAt,
                    LifecycleFixtures.daysAgo(daysAgo), referencedByIndex, subject);
        }

        Img inIndex() {
            return new Img(name, tags, storageClass, pushedAt, lastActivatedAt, lastPulledAt, transitionedAt, true,
                    subject);
        }

        Img referring(String subjectName) {
            return new Img(name, tags, storageClass, pushedAt, lastActivatedAt, lastPulledAt, transitionedAt,
                    referencedByIndex, subjectName);
        }

        LifecycleImage toImage() {
            return new LifecycleImage(digest(name), tags, storageClass, pushedAt, lastActivatedAt, lastPulledAt,
                    transitionedAt, referencedByIndex, subject == null ? null : digest(subject));
        }
    }

    static Rule rule(int priority, TagStatus status, List<String> patterns, List<String> prefixes,
                     StorageClass storageClass, CountType countType, int count, ActionType action) {
        String unit = countType == CountType.IMAGE_COUNT_MORE_THAN ? null : "days";
        return new Rule(priority, null, new Selection(status, patterns, prefixes, storageClass, countType, unit, count),
                new Action(action, action == ActionType.TRANSITION ? StorageClass.ARCHIVE : null));
    }

    static Rule expireCount(int priority, TagStatus status, List<String> patterns, int keep) {
        return rule(priority, status, patterns, List.of(), StorageClass.STANDARD, CountType.IMAGE_COUNT_MORE_THAN,
                keep, ActionType.EXPIRE);
    }

    static Rule expirePushed(int priority, TagStatus status, List<String> patterns, int days) {
        return rule(priority, status, patterns, List.of(), StorageClass.STANDARD, CountType.SINCE_IMAGE_PUSHED, days,
                ActionType.EXPIRE);
    }

    static LifecyclePolicy policy(Rule... rules) {
        return new LifecyclePolicy(List.of(rules));
    }

    static List<LifecycleImage> repository(Img... images) {
        return java.util.Arrays.stream(images).map(Img::toImage).toList();
    }

    static LifecycleDecision expired(String name, int priority) {
        return new LifecycleDecision(digest(name), priority, ActionType.EXPIRE, null, null);
    }

    static LifecycleDecision archivedBy(String name, int priority) {
        return new LifecycleDecision(digest(name), priority, ActionType.TRANSITION, StorageClass.ARCHIVE, null);
    }

    static LifecycleDecision cascaded(LifecycleDecision decision, String subjectName) {
        return new LifecycleDecision(decision.digest(), decision.rulePriority(), decision.action(),
                decision.targetStorageClass(), digest(subjectName));
    }
}
