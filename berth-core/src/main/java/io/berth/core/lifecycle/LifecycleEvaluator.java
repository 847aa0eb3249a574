package io.berth.core.lifecycle;

import io.berth.core.lifecycle.LifecyclePolicy.ActionType;
import io.berth.core.lifecycle.LifecyclePolicy.CountType;
import io.berth.core.lifecycle.LifecyclePolicy.Rule;
import io.berth.core.lifecycle.LifecyclePolicy.Selection;
import io.berth.core.lifecycle.LifecyclePolicy.StorageClass;
import io.berth.core.model.Digest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides what a lifecycle policy does to a repository's images, following ECR's "Lifecycle policy evaluation
 * rules" (ecr-semantics §2.4). Pure and deterministic: the same policy, images (in any order) and {@code now}
 * give the same decisions in the same order. The preview and the real evaluation both call this.
 *
 * <p>The rules, as applied here:
 * <ul>
 * <li>Every rule's selection is computed over all the images of its storage class, independent of the other rules
 *     ("evaluated at the same time"); the selections are then applied lowest {@code rulePriority} first.</li>
 * <li>An image is acted on by at most one rule. A rule <em>claims</em> every image of its storage class whose tags
 *     it matches, selected or not, and a claimed image can no longer be acted on by a lower-priority rule (the
 *     shield).</li>
 * <li>Ordering is oldest first by push time, or by {@code lastActivatedAt} for a restored image; rules on the
 *     archive storage class order by {@code transitionedAt}. Equal times are broken by digest.</li>
 * <li>{@code imageCountMoreThan N} keeps the newest N tag-matching images and selects the rest;
 *     {@code sinceImagePushed N} selects push (or activation) times more than N days before {@code now};
 *     {@code sinceImagePulled N} uses {@code lastPulledAt}, or the push (or activation) time when the image was
 *     never pulled or was restored after its last pull; {@code sinceImageTransitioned N} uses
 *     {@code transitionedAt}.</li>
 * <li>Never acted on: an image an index references (the index lives), and, for a transition, an image already
 *     archived. Never expired: an image archived less than 90 days ago, or with no archive time (ECR's 90-day
 *     minimum storage in archive).</li>
 * <li>Referrers (images whose {@code subject} is an acted-on image) follow their subject with the same action and
 *     rule, transitively, with {@code cascadedFrom} naming the subject, unless a rule already acted on them; the
 *     two protections above still hold for them.</li>
 * </ul>
 *
 * <p>The two points ECR's documentation leaves open are decided as follows:
 * <ol>
 * <li><b>Shielded images are counted.</b> {@code imageCountMoreThan} of a lower-priority rule ranks every image it
 *     tag-matches, including those claimed (even acted on) by higher rules, because ECR says lower rules "can
 *     still identify them as if they haven't been expired or archived". So {@code tagged prod* keep 5} followed by
 *     {@code any keep 10} keeps 10 images in all, not 5 prod plus 10 others.</li>
 * <li><b>{@code any} is shielded like every other rule.</b> ECR's shield sentence has no exception, and {@code any}
 *     must carry the highest priority, so an image claimed by an earlier rule is never acted on by {@code any}.</li>
 * </ol>
 */
public final class LifecycleEvaluator {
    /** ECR's minimum storage duration in archive before an image may be expired. */
    public static final Duration ARCHIVE_MINIMUM = Duration.ofDays(90);

    public List<LifecycleDecision> evaluate(LifecyclePolicy policy, List<LifecycleImage> images, Instant now) {
        List<Rule> rules = new ArrayList<>(policy.rules());
        rules.sort(Comparator.comparingInt(Rule::rulePriority));
        int n = images.size();
        boolean[] claimed = new boolean[n];
        LifecycleDecision[] decided = new LifecycleDecision[n];
        List<LifecycleDecision> decisions = new ArrayList<>();
        for (Rule rule : rules) {
            // Selection looks only at tags, times and storage class, never at claims, so computing it here, rule by
            // rule, is the same as computing all of them first; it keeps one rule's working set in memory at once.
            BitSet tagMatched = tagMatched(rule.selection(), images);
            for (int i : select(rule, tagMatched, images, now)) {
                if (!claimed[i] && actionable(images.get(i), rule.action().type(), now)) {
                    decided[i] = decision(images.get(i), rule.rulePriority(), rule.action().type(), null);
                    decisions.add(decided[i]);
                }
            }
            for (int i = tagMatched.nextSetBit(0); i >= 0; i = tagMatched.nextSetBit(i + 1)) {
                claimed[i] = true;
            }
        }
        cascadeToReferrers(images, decided, decisions, now);
        return List.copyOf(decisions);
    }

    /** The images of the rule's storage class whose tags it matches: what it counts, and what it claims. */
    private static BitSet tagMatched(Selection selection, List<LifecycleImage> images) {
        BitSet matched = new BitSet(images.size());
        for (int i = 0; i < images.size(); i++) {
            LifecycleImage image = images.get(i);
            if (image.storageClass() == selection.storageClass() && TagMatcher.matches(selection, image.tags())) {
                matched.set(i);
            }
        }
        return matched;
    }

    /** The images a rule's count criterion selects, oldest first (claims and protections not yet applied). */
    private static List<Integer> select(Rule rule, BitSet tagMatched, List<LifecycleImage> images, Instant now) {
        Selection selection = rule.selection();
        boolean archiveRule = selection.storageClass() == StorageClass.ARCHIVE;
        List<Integer> matching = new ArrayList<>(tagMatched.cardinality());
        for (int i = tagMatched.nextSetBit(0); i >= 0; i = tagMatched.nextSetBit(i + 1)) {
            if (orderingTime(images.get(i), archiveRule) != null) {
                matching.add(i);
            }
        }
        Comparator<Integer> oldestFirst = Comparator
                .comparing((Integer i) -> orderingTime(images.get(i), archiveRule))
                .thenComparing(i -> images.get(i).digest());
        matching.sort(oldestFirst);
        if (selection.countType() == CountType.IMAGE_COUNT_MORE_THAN) {
            int keep = Math.max(0, selection.countNumber());
            return matching.subList(0, Math.max(0, matching.size() - keep));
        }
        Instant cutoff = now.minus(Duration.ofDays(selection.countNumber()));
        List<Integer> old = new ArrayList<>();
        for (int i : matching) {
            Instant age = ageReference(images.get(i), selection.countType());
            if (age != null && age.isBefore(cutoff)) {
                old.add(i);
            }
        }
        return old;
    }

    /** The time a rule orders by: transition time for archive rules, else activation or push time. */
    static Instant orderingTime(LifecycleImage image, boolean archiveRule) {
        return archiveRule ? image.transitionedAt() : activeSince(image);
    }

    /** Push time, or the time a restored image became active again. */
    static Instant activeSince(LifecycleImage image) {
        return image.lastActivatedAt() != null ? image.lastActivatedAt() : image.pushedAt();
    }

    private static Instant ageReference(LifecycleImage image, CountType countType) {
        return switch (countType) {
            case SINCE_IMAGE_PUSHED -> activeSince(image);
            case SINCE_IMAGE_PULLED -> {
                Instant active = activeSince(image);
                Instant pulled = image.lastPulledAt();
                yield pulled == null || (active != null && active.isAfter(pulled)) ? active : pulled;
            }
            case SINCE_IMAGE_TRANSITIONED -> image.transitionedAt();
            case IMAGE_COUNT_MORE_THAN -> throw new IllegalArgumentException("imageCountMoreThan has no age");
        };
    }

    /** The protections that hold whichever rule, or cascade, wants to act. */
    static boolean actionable(LifecycleImage image, ActionType action, Instant now) {
        if (image.referencedByIndex()) {
            return false;
        }
        boolean archived = image.storageClass() == StorageClass.ARCHIVE;
        if (action == ActionType.TRANSITION) {
            return !archived;
        }
        return !archived || (image.transitionedAt() != null
                && !image.transitionedAt().isAfter(now.minus(ARCHIVE_MINIMUM)));
    }

    private static LifecycleDecision decision(LifecycleImage image, int rulePriority, ActionType action,
                                              Digest cascadedFrom) {
        StorageClass target = action == ActionType.TRANSITION ? StorageClass.ARCHIVE : null;
        return new LifecycleDecision(image.digest(), rulePriority, action, target, cascadedFrom);
    }

    /** Breadth first from the rules' decisions; each subject's referrers in digest order, for determinism. */
    private static void cascadeToReferrers(List<LifecycleImage> images, LifecycleDecision[] decided,
                                           List<LifecycleDecision> decisions, Instant now) {
        Map<Digest, List<Integer>> referrersBySubject = new HashMap<>();
        for (int i = 0; i < images.size(); i++) {
            if (images.get(i).subject() != null) {
                referrersBySubject.computeIfAbsent(images.get(i).subject(), d -> new ArrayList<>()).add(i);
            }
        }
        if (referrersBySubject.isEmpty()) {
            return;
        }
        referrersBySubject.values().forEach(list -> list.sort(Comparator.comparing(i -> images.get(i).digest())));
        ArrayDeque<LifecycleDecision> pending = new ArrayDeque<>(decisions);
        while (!pending.isEmpty()) {
            LifecycleDecision subject = pending.poll();
            for (int i : referrersBySubject.getOrDefault(subject.digest(), List.of())) {
                LifecycleImage referrer = images.get(i);
                if (decided[i] == null && actionable(referrer, subject.action(), now)) {
                    decided[i] = decision(referrer, subject.rulePriority(), subject.action(), subject.digest());
                    decisions.add(decided[i]);
                    pending.add(decided[i]);
                }
            }
        }
    }
}
