package io.berth.core.lifecycle;

import io.berth.core.lifecycle.LifecyclePolicy.ActionType;
import io.berth.core.lifecycle.LifecyclePolicy.CountType;
import io.berth.core.lifecycle.LifecyclePolicy.Rule;
import io.berth.core.lifecycle.LifecyclePolicy.StorageClass;
import io.berth.core.lifecycle.LifecyclePolicy.TagStatus;
import io.berth.core.model.Digest;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The oracle: ecr-semantics §2.4's pseudo-code followed literally, written apart from {@link LifecycleEvaluator}
 * and slow on purpose (regexes, streams, a fixpoint for the cascade). Equal times rank by digest, as the evaluator
 * documents.
 */
final class NaiveLifecycleEvaluator {
    private NaiveLifecycleEvaluator() {}

    static Map<Digest, LifecycleDecision> evaluate(LifecyclePolicy policy, List<LifecycleImage> repo, Instant now) {
        Set<Digest> claimed = new HashSet<>();
        Map<Digest, LifecycleDecision> acted = new HashMap<>();
        List<Rule> rules = policy.rules().stream().sorted(Comparator.comparingInt(Rule::rulePriority)).toList();
        for (Rule rule : rules) {
            List<LifecycleImage> ofClass = repo.stream()
                    .filter(img -> img.storageClass() == rule.selection().storageClass()).toList();
            List<LifecycleImage> cand = ofClass.stream()
                    .filter(img -> tagMatch(rule, img) && !claimed.contains(img.digest())).toList();
            // rule 4: the ranking considers every tag-matching image, claimed or not
            List<LifecycleImage> ranked = ofClass.stream().filter(img -> tagMatch(rule, img))
                    .filter(img -> sortTime(rule, img) != null)
                    .sorted(Comparator.comparing((LifecycleImage img) -> sortTime(rule, img)).reversed()
                            .thenComparing(Comparator.comparing(LifecycleImage::digest).reversed()))
                    .toList();
            Set<LifecycleImage> selected = select(rule, ranked, now).stream()
                    .filter(cand::contains)
                    .filter(img -> mayAct(img, rule.action().type(), now))
                    .collect(Collectors.toSet());
            for (LifecycleImage img : cand) {
                claimed.add(img.digest());
            }
            for (LifecycleImage img : selected) {
                acted.put(img.digest(), decision(img, rule.rulePriority(), rule.action().type(), null));
            }
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (LifecycleImage img : repo) {
                LifecycleDecision subject = img.subject() == null ? null : acted.get(img.subject());
                if (subject != null && !acted.containsKey(img.digest()) && mayAct(img, subject.action(), now)) {
                    acted.put(img.digest(), decision(img, subject.rulePriority(), subject.action(), subject.digest()));
                    changed = true;
                }
            }
        }
        return acted;
    }

    private static boolean tagMatch(Rule rule, LifecycleImage img) {
        TagStatus status = rule.selection().tagStatus();
        if (status == TagStatus.ANY) {
            return true;
        }
        if (status == TagStatus.UNTAGGED) {
            return img.tags().size() == 0;
        }
        if (img.tags().isEmpty()) {
            return false;
        }
        boolean patterns = rule.selection().tagPatternList().stream()
                .allMatch(p -> img.tags().stream().anyMatch(tag -> toRegex(p).matcher(tag).matches()));
        boolean prefixes = rule.selection().tagPrefixList().stream()
                .allMatch(p -> img.tags().stream().anyMatch(tag -> tag.startsWith(p)));
        return patterns && prefixes;
    }

    private static Pattern toRegex(String glob) {
        String[] parts = glob.split("\\*", -1);
        return Pattern.compile(java.util.Arrays.stream(parts).map(Pattern::quote).collect(Collectors.joining(".*")),
                Pattern.DOTALL);
    }

    private static Instant pushTime(LifecycleImage img) {
        return img.lastActivatedAt() == null ? img.pushedAt() : img.lastActivatedAt();
    }

    private static Instant sortTime(Rule rule, LifecycleImage img) {
        return rule.selection().storageClass() == StorageClass.ARCHIVE ? img.transitionedAt() : pushTime(img);
    }

    /** {@code ranked} is newest first. */
    private static List<LifecycleImage> select(Rule rule, List<LifecycleImage> ranked, Instant now) {
        int n = rule.selection().countNumber();
        CountType type = rule.selection().countType();
        if (type == CountType.IMAGE_COUNT_MORE_THAN) {
            return ranked.size() <= n ? List.of() : ranked.subList(n, ranked.size());
        }
        Instant limit = now.minus(Duration.ofDays(n));
        return ranked.stream().filter(img -> {
            Instant t;
            if (type == CountType.SINCE_IMAGE_PUSHED) {
                t = pushTime(img);
            } else if (type == CountType.SINCE_IMAGE_PULLED) {
                t = img.lastPulledAt();
                if (t == null || (img.lastActivatedAt() != null && img.lastActivatedAt().isAfter(t))) {
                    t = pushTime(img);
                }
            } else {
                t = img.transitionedAt();
            }
            return t != null && t.isBefore(limit);
        }).toList();
    }

    private static boolean mayAct(LifecycleImage img, ActionType action, Instant now) {
        if (img.referencedByIndex()) {
            return false;
        }
        if (img.storageClass() == StorageClass.ARCHIVE) {
            if (action == ActionType.TRANSITION) {
                return false;
            }
            return img.transitionedAt() != null
                    && Duration.between(img.transitionedAt(), now).compareTo(Duration.ofDays(90)) >= 0;
        }
        return true;
    }

    private static LifecycleDecision decision(LifecycleImage img, int priority, ActionType action, Digest from) {
        return new LifecycleDecision(img.digest(), priority, action,
                action == ActionType.TRANSITION ? StorageClass.ARCHIVE : null, from);
    }
}
