package io.berth.core.lifecycle;

import static io.berth.core.lifecycle.LifecycleFixtures.NOW;
import static io.berth.core.lifecycle.LifecycleFixtures.digest;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.lifecycle.LifecyclePolicy.Action;
import io.berth.core.lifecycle.LifecyclePolicy.ActionType;
import io.berth.core.lifecycle.LifecyclePolicy.CountType;
import io.berth.core.lifecycle.LifecyclePolicy.Rule;
import io.berth.core.lifecycle.LifecyclePolicy.Selection;
import io.berth.core.lifecycle.LifecyclePolicy.StorageClass;
import io.berth.core.lifecycle.LifecyclePolicy.TagStatus;
import io.berth.core.model.Digest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Randomised repositories and policies (the combinations ECR's validation allows), checked against
 * {@link NaiveLifecycleEvaluator}. Times sit on a coarse grid so ties, the 90-day edge and the N-day edges occur.
 */
class LifecycleEvaluatorOracleTest {
    private static final List<String> TAGS = List.of("v1", "v2", "v10", "prod-1", "prod-2", "dev", "latest",
            "rc-2024", "a*b");
    private static final List<String> PATTERNS = List.of("v*", "prod*", "*", "*-*", "d*v", "latest", "rc*2024",
            "*1", "a*b", "v*0");
    private static final List<String> PREFIXES = List.of("v", "prod", "d", "l", "rc-", "v1");

    @Test
    void agreesWithTheNaiveImplementationOnRandomRepositoriesAndPolicies() {
        Random random = new Random(20261201L);
        LifecycleEvaluator evaluator = new LifecycleEvaluator();
        int casesWithDecisions = 0;
        int cascades = 0;
        for (int c = 0; c < 4000; c++) {
            List<LifecycleImage> images = repository(random);
            LifecyclePolicy policy = policy(random);
            List<LifecycleDecision> decisions = evaluator.evaluate(policy, images, NOW);
            Map<Digest, LifecycleDecision> byDigest = decisions.stream()
                    .collect(Collectors.toMap(LifecycleDecision::digest, Function.identity(), (a, b) -> {
                        throw new AssertionError("two decisions for one image: " + a + " and " + b);
                    }));
            String what = "case " + c + ": policy " + policy + " over " + images;
            assertThat(byDigest).as(what).isEqualTo(NaiveLifecycleEvaluator.evaluate(policy, images, NOW));
            casesWithDecisions += decisions.isEmpty() ? 0 : 1;
            cascades += (int) decisions.stream().filter(d -> d.cascadedFrom() != null).count();
        }
        assertThat(casesWithDecisions).as("random cases in which something was decided (of 4000)")
                .isGreaterThan(1500);
        assertThat(cascades).as("cascaded referrer decisions over all cases").isGreaterThan(100);
    }

    private static List<LifecycleImage> repository(Random random) {
        int size = random.nextInt(25);
        List<Digest> digests = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            digests.add(digest(random.nextLong() + "-" + i));
        }
        List<LifecycleImage> images = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Set<String> tags = new HashSet<>();
            int tagCount = random.nextInt(4) == 0 ? 0 : random.nextInt(3) + 1;
            for (int t = 0; t < tagCount; t++) {
                tags.add(TAGS.get(random.nextInt(TAGS.size())));
            }
            Instant pushed = gridDaysAgo(random, 200);
            Instant activated = random.nextInt(6) == 0 ? later(random, pushed) : null;
            Instant pulled = random.nextBoolean() ? later(random, pushed) : null;
            boolean archived = random.nextInt(4) == 0;
            Instant transitioned = archived && random.nextInt(20) != 0 ? later(random, pushed) : null;
            Digest subject = i > 0 && random.nextInt(4) == 0 ? digests.get(random.nextInt(i)) : null;
            images.add(new LifecycleImage(digests.get(i), subject == null ? tags : Set.of(),
                    archived ? StorageClass.ARCHIVE : StorageClass.STANDARD, pushed, activated, pulled, transitioned,
                    random.nextInt(10) == 0, subject));
        }
        return images;
    }

    /** Whole or half days, so equal times and exact N-day ages are common. */
    private static Instant gridDaysAgo(Random random, int maxDays) {
        return NOW.minus(Duration.ofHours(12L * random.nextInt(maxDays * 2 + 1)));
    }

    private static Instant later(Random random, Instant after) {
        long span = Duration.between(after, NOW).toHours() / 12;
        return after.plus(Duration.ofHours(12L * (span <= 0 ? 0 : random.nextLong(span + 1))));
    }

    private static LifecyclePolicy policy(Random random) {
        int count = 1 + random.nextInt(5);
        List<Integer> priorities = new ArrayList<>();
        while (priorities.size() < count) {
            int p = 1 + random.nextInt(30);
            if (!priorities.contains(p)) {
                priorities.add(p);
            }
        }
        int highest = priorities.stream().mapToInt(Integer::intValue).max().orElseThrow();
        List<Rule> rules = new ArrayList<>();
        for (int priority : priorities) {
            // ECR requires `any` to be the last rule; other rules are tagged or untagged.
            TagStatus status = priority == highest && random.nextBoolean() ? TagStatus.ANY
                    : random.nextInt(3) == 0 ? TagStatus.UNTAGGED : TagStatus.TAGGED;
            List<String> patterns = List.of();
            List<String> prefixes = List.of();
            if (status == TagStatus.TAGGED) {
                if (random.nextBoolean()) {
                    patterns = pick(random, PATTERNS);
                } else {
                    prefixes = pick(random, PREFIXES);
                }
            }
            rules.add(validRule(random, priority, status, patterns, prefixes));
        }
        return new LifecyclePolicy(rules);
    }

    private static Rule validRule(Random random, int priority, TagStatus status, List<String> patterns,
                                  List<String> prefixes) {
        int kind = random.nextInt(6);
        CountType type = switch (kind) {
            case 0, 1 -> CountType.IMAGE_COUNT_MORE_THAN;
            case 2, 3 -> CountType.SINCE_IMAGE_PUSHED;
            case 4 -> CountType.SINCE_IMAGE_PULLED;
            default -> CountType.SINCE_IMAGE_TRANSITIONED;
        };
        StorageClass storage = type == CountType.SINCE_IMAGE_TRANSITIONED ? StorageClass.ARCHIVE
                : StorageClass.STANDARD;
        ActionType action = type == CountType.SINCE_IMAGE_PULLED ? ActionType.TRANSITION
                : type == CountType.SINCE_IMAGE_TRANSITIONED ? ActionType.EXPIRE
                : random.nextBoolean() ? ActionType.EXPIRE : ActionType.TRANSITION;
        int number = type == CountType.IMAGE_COUNT_MORE_THAN ? 1 + random.nextInt(6) : 1 + random.nextInt(150);
        return new Rule(priority, null, new Selection(status, patterns, prefixes, storage, type,
                type == CountType.IMAGE_COUNT_MORE_THAN ? null : "days", number),
                new Action(action, action == ActionType.TRANSITION ? StorageClass.ARCHIVE : null));
    }

    private static List<String> pick(Random random, List<String> from) {
        Set<String> picked = new HashSet<>();
        int n = 1 + random.nextInt(2);
        while (picked.size() < n) {
            picked.add(from.get(random.nextInt(from.size())));
        }
        return List.copyOf(picked);
    }

}
