package io.berth.core.lifecycle;

import static io.berth.core.lifecycle.LifecycleFixtures.NOW;
import static io.berth.core.lifecycle.LifecycleFixtures.digest;
import static io.berth.core.lifecycle.LifecycleFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.lifecycle.LifecyclePolicy.ActionType;
import io.berth.core.lifecycle.LifecyclePolicy.CountType;
import io.berth.core.lifecycle.LifecyclePolicy.StorageClass;
import io.berth.core.lifecycle.LifecyclePolicy.TagStatus;
import io.berth.core.model.Digest;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 9's scale figure: 100,000 images under a 10-rule policy. It PRINTS the time and the memory evaluation
 * allocates and retains; it asserts only what evaluation decided, never a time (2 shared cores make timings noisy).
 */
class LifecycleEvaluatorScaleTest {
    private static final int IMAGES = 100_000;

    @Test
    void printsTheTimeAndMemoryToEvaluate100000ImagesWithTenRules() {
        List<LifecycleImage> images = repository(new Random(9));
        LifecyclePolicy policy = new LifecyclePolicy(List.of(
                rule(1, TagStatus.TAGGED, List.of("release-*"), List.of(), StorageClass.STANDARD,
                        CountType.IMAGE_COUNT_MORE_THAN, 500, ActionType.TRANSITION),
                rule(2, TagStatus.TAGGED, List.of("prod-*-*"), List.of(), StorageClass.STANDARD,
                        CountType.IMAGE_COUNT_MORE_THAN, 1000, ActionType.EXPIRE),
                rule(3, TagStatus.TAGGED, List.of(), List.of("v1", "stable"), StorageClass.STANDARD,
                        CountType.SINCE_IMAGE_PUSHED, 300, ActionType.EXPIRE),
                rule(4, TagStatus.TAGGED, List.of("*rc*"), List.of(), StorageClass.STANDARD,
                        CountType.SINCE_IMAGE_PUSHED, 30, ActionType.EXPIRE),
                rule(5, TagStatus.TAGGED, List.of("feature-*"), List.of(), StorageClass.STANDARD,
                        CountType.SINCE_IMAGE_PULLED, 60, ActionType.TRANSITION),
                rule(6, TagStatus.TAGGED, List.of("nightly*"), List.of(), StorageClass.STANDARD,
                        CountType.IMAGE_COUNT_MORE_THAN, 50, ActionType.EXPIRE),
                rule(7, TagStatus.TAGGED, List.of(), List.of("dev"), StorageClass.STANDARD,
                        CountType.SINCE_IMAGE_PUSHED, 90, ActionType.EXPIRE),
                rule(8, TagStatus.UNTAGGED, List.of(), List.of(), StorageClass.STANDARD,
                        CountType.SINCE_IMAGE_PUSHED, 14, ActionType.EXPIRE),
                rule(9, TagStatus.UNTAGGED, List.of(), List.of(), StorageClass.ARCHIVE,
                        CountType.SINCE_IMAGE_TRANSITIONED, 180, ActionType.EXPIRE),
                rule(10, TagStatus.ANY, List.of(), List.of(), StorageClass.STANDARD,
                        CountType.IMAGE_COUNT_MORE_THAN, 20_000, ActionType.EXPIRE)));
        LifecycleEvaluator evaluator = new LifecycleEvaluator();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Runtime runtime = Runtime.getRuntime();
        List<LifecycleDecision> decisions = List.of();
        for (int run = 1; run <= 3; run++) {
            System.gc();
            long heapBefore = runtime.totalMemory() - runtime.freeMemory();
            long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
            long start = System.nanoTime();
            decisions = evaluator.evaluate(policy, images, NOW);
            long millis = (System.nanoTime() - start) / 1_000_000;
            long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
            System.gc();
            long retained = runtime.totalMemory() - runtime.freeMemory() - heapBefore;
            System.out.printf("lifecycle evaluation, %d images, 10 rules, run %d: %d ms, %d decisions (%d cascaded),"
                            + " %.1f MiB allocated, %.1f MiB retained after (the decisions), max heap %d MiB%n",
                    IMAGES, run, millis, decisions.size(),
                    decisions.stream().filter(d -> d.cascadedFrom() != null).count(), allocated / 1048576.0,
                    retained / 1048576.0, runtime.maxMemory() / 1048576);
        }
        assertThat(decisions).as("decisions over %d generated images", IMAGES).hasSizeBetween(1000, IMAGES);
    }

    private static List<LifecycleImage> repository(Random random) {
        String[] families = {"release-", "prod-eu-", "v1.", "stable-", "rc", "feature-", "nightly-", "dev-", ""};
        List<Digest> digests = new ArrayList<>(IMAGES);
        List<LifecycleImage> images = new ArrayList<>(IMAGES);
        for (int i = 0; i < IMAGES; i++) {
            Digest d = digest("image-" + i);
            digests.add(d);
            String family = families[random.nextInt(families.length)];
            Set<String> tags = family.isEmpty() ? Set.of()
                    : random.nextInt(8) == 0 ? Set.of(family + i + "-x", "stable-" + i, "v1-" + i) : Set.of(family + i);
            var pushed = NOW.minus(Duration.ofMinutes(random.nextInt(600 * 24 * 60)));
            boolean archived = random.nextInt(10) == 0;
            var pulled = random.nextBoolean() ? pushed.plus(Duration.ofMinutes(random.nextInt(1000))) : null;
            Digest subject = i > 0 && random.nextInt(20) == 0 ? digests.get(random.nextInt(i)) : null;
            images.add(new LifecycleImage(d, subject == null ? tags : Set.of(),
                    archived ? StorageClass.ARCHIVE : StorageClass.STANDARD, pushed, null, pulled,
                    archived ? pushed : null, random.nextInt(50) == 0, subject));
        }
        return images;
    }
}
