package io.berth.core.lifecycle;

import static io.berth.core.lifecycle.LifecycleFixtures.NOW;
import static io.berth.core.lifecycle.LifecycleFixtures.archivedBy;
import static io.berth.core.lifecycle.LifecycleFixtures.cascaded;
import static io.berth.core.lifecycle.LifecycleFixtures.expireCount;
import static io.berth.core.lifecycle.LifecycleFixtures.expirePushed;
import static io.berth.core.lifecycle.LifecycleFixtures.expired;
import static io.berth.core.lifecycle.LifecycleFixtures.image;
import static io.berth.core.lifecycle.LifecycleFixtures.policy;
import static io.berth.core.lifecycle.LifecycleFixtures.repository;
import static io.berth.core.lifecycle.LifecycleFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.lifecycle.LifecyclePolicy.ActionType;
import io.berth.core.lifecycle.LifecyclePolicy.CountType;
import io.berth.core.lifecycle.LifecyclePolicy.StorageClass;
import io.berth.core.lifecycle.LifecyclePolicy.TagStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** One golden test per evaluation rule of ecr-semantics §2.4: a small repository and its exact decisions. */
class LifecycleEvaluatorTest {
    private final LifecycleEvaluator evaluator = new LifecycleEvaluator();

    private List<LifecycleDecision> evaluate(LifecyclePolicy policy, List<LifecycleImage> images) {
        return evaluator.evaluate(policy, images, NOW);
    }

    @Test
    void allRulesAreEvaluatedAtOnceThenAppliedByPriorityLowestFirst() {
        // Listed out of order: priority 1 must win over 5 for "old", whatever the document's order.
        var policy = policy(expirePushed(5, TagStatus.ANY, List.of(), 10),
                expirePushed(1, TagStatus.TAGGED, List.of("v*"), 10));
        var images = repository(image("old", 30, "v1"), image("untagged-old", 40), image("new", 1, "v2"));
        assertThat(evaluate(policy, images))
                .as("rules listed 5 then 1 over old(v1, 30 d), untagged-old(40 d), new(v2, 1 d): rule 1 acts first")
                .containsExactly(expired("old", 1), expired("untagged-old", 5));
    }

    @Test
    void anImageIsActedOnByAtMostOneRule() {
        var policy = policy(expirePushed(1, TagStatus.TAGGED, List.of("a*"), 10),
                expirePushed(2, TagStatus.TAGGED, List.of("*b"), 10));
        var images = repository(image("ab", 30, "ab"));
        assertThat(evaluate(policy, images)).as("one image tagged ab matched and selected by both rules")
                .containsExactly(expired("ab", 1));
    }

    @Test
    void aHigherRuleThatMatchesTheTagsShieldsTheImageEvenWhenItDoesNotSelectIt() {
        var policy = policy(expireCount(1, TagStatus.TAGGED, List.of("prod*"), 5),
                expirePushed(2, TagStatus.ANY, List.of(), 10));
        var images = repository(image("prod-old", 100, "prod-1"), image("dev-old", 100, "dev-1"));
        assertThat(evaluate(policy, images))
                .as("prod-old is matched (kept, 1 of 5) by rule 1, so rule 2 may not expire it; dev-old is not")
                .containsExactly(expired("dev-old", 2));
    }

    @Test
    void lowerRulesStillCountShieldedImagesInImageCountMoreThan() {
        var policy = policy(expireCount(1, TagStatus.TAGGED, List.of("prod*"), 5),
                expireCount(2, TagStatus.ANY, List.of(), 2));
        var images = repository(image("p3", 1, "prod-3"), image("p2", 2, "prod-2"), image("d1", 3, "dev-1"),
                image("d2", 4, "dev-2"), image("p1", 5, "prod-1"));
        // Rule 2 ranks all five newest first: p3, p2 kept; d1, d2, p1 selected; p1 is shielded by rule 1.
        assertThat(evaluate(policy, images)).as("rule 2 keeps 2 counting the shielded prod images")
                .containsExactly(expired("d2", 2), expired("d1", 2));
    }

    @Test
    void anyIsShieldedByEarlierRules() {
        var policy = policy(expirePushed(1, TagStatus.UNTAGGED, List.of(), 50),
                expirePushed(9, TagStatus.ANY, List.of(), 10));
        var images = repository(image("untagged-young", 20), image("tagged-old", 20, "x"));
        assertThat(evaluate(policy, images))
                .as("untagged-young (20 d) is claimed by the untagged rule (50 d), so any (10 d) leaves it")
                .containsExactly(expired("tagged-old", 9));
    }

    @Test
    void tagMatchAnyMatchesTaggedAndUntagged() {
        var images = repository(image("t", 20, "x"), image("u", 21));
        assertThat(evaluate(policy(expirePushed(1, TagStatus.ANY, List.of(), 10)), images))
                .as("any over a tagged and an untagged image, oldest first").containsExactly(expired("u", 1),
                        expired("t", 1));
    }

    @Test
    void tagMatchUntaggedMatchesOnlyImagesWithoutTags() {
        var images = repository(image("t", 20, "x"), image("u", 21));
        assertThat(evaluate(policy(expirePushed(1, TagStatus.UNTAGGED, List.of(), 10)), images))
                .as("untagged over a tagged and an untagged image").containsExactly(expired("u", 1));
    }

    @Test
    void tagPatternListNeedsEveryPatternToMatchSomeTag() {
        var rule = expirePushed(1, TagStatus.TAGGED, List.of("prod*", "*-2024*"), 10);
        var images = repository(image("both", 20, "prod", "release-2024-01"), image("one", 20, "prod-x"),
                image("one-tag-both", 20, "prod-2024"), image("middle", 20, "abc"),
                image("star-zero", 20, "prod", "-2024"));
        assertThat(evaluate(policy(rule), images)).as("patterns prod* AND *-2024* (star = zero or more chars)")
                .containsExactlyInAnyOrder(expired("both", 1), expired("one-tag-both", 1), expired("star-zero", 1));
        var infix = expirePushed(1, TagStatus.TAGGED, List.of("a*c"), 10);
        assertThat(evaluate(policy(infix), repository(image("abc", 20, "abc"), image("abd", 20, "abd"),
                image("ac", 20, "ac")))).as("a*c over abc, abd, ac")
                .containsExactlyInAnyOrder(expired("abc", 1), expired("ac", 1));
    }

    @Test
    void tagPrefixListNeedsEveryPrefixToStartSomeTag() {
        var rule = rule(1, TagStatus.TAGGED, List.of(), List.of("prod", "v1"), StorageClass.STANDARD,
                CountType.SINCE_IMAGE_PUSHED, 10, ActionType.EXPIRE);
        var images = repository(image("both", 20, "prod-a", "v1.2"), image("prod-only", 20, "prod-b"),
                image("inside", 20, "my-prod", "v1"));
        assertThat(evaluate(policy(rule), images)).as("prefixes prod AND v1; my-prod does not start with prod")
                .containsExactly(expired("both", 1));
    }

    @Test
    void rulesSelectOnlyImagesOfTheirStorageClass() {
        var standard = expirePushed(1, TagStatus.ANY, List.of(), 10);
        var archive = rule(2, TagStatus.ANY, List.of(), List.of(), StorageClass.ARCHIVE,
                CountType.SINCE_IMAGE_TRANSITIONED, 100, ActionType.EXPIRE);
        var images = repository(image("std", 200, "a"), image("arc", 200, "b").archived(150),
                image("arc-young", 200, "c").archived(95));
        assertThat(evaluate(policy(standard, archive), images))
                .as("standard rule sees std only; archive rule (100 d since transition) sees arc (150 d)")
                .containsExactly(expired("std", 1), expired("arc", 2));
    }

    @Test
    void orderingIsOldestFirstByPushTimeOrActivationTimeForRestoredImages() {
        var images = repository(image("a", 10), image("b", 30), image("c", 20),
                image("restored", 50).activated(5));
        assertThat(evaluate(policy(expireCount(1, TagStatus.ANY, List.of(), 1)), images))
                .as("keep 1 of a(10 d) b(30 d) c(20 d) restored(pushed 50 d, activated 5 d): restored is newest")
                .containsExactly(expired("b", 1), expired("c", 1), expired("a", 1));
    }

    @Test
    void archiveRulesOrderByTransitionTime() {
        var archive = rule(1, TagStatus.ANY, List.of(), List.of(), StorageClass.ARCHIVE,
                CountType.SINCE_IMAGE_TRANSITIONED, 91, ActionType.EXPIRE);
        var images = repository(image("pushed-first", 400).archived(100), image("pushed-last", 300).archived(200));
        assertThat(evaluate(policy(archive), images)).as("archived 200 d ago comes before archived 100 d ago")
                .containsExactly(expired("pushed-last", 1), expired("pushed-first", 1));
    }

    @Test
    void imageCountMoreThanKeepsTheNewestN() {
        var images = repository(image("d1", 1, "t1"), image("d2", 2, "t2"), image("d3", 3, "t3"),
                image("d4", 4, "t4"));
        assertThat(evaluate(policy(expireCount(1, TagStatus.TAGGED, List.of("t*"), 2)), images))
                .as("keep the 2 newest of 4").containsExactly(expired("d4", 1), expired("d3", 1));
        assertThat(evaluate(policy(expireCount(1, TagStatus.TAGGED, List.of("t*"), 4)), images))
                .as("keep 4 of 4").isEmpty();
    }

    @Test
    void sinceImagePushedSelectsPushOrActivationOlderThanNDays() {
        var images = repository(image("old", 11), image("young", 9), image("old-restored", 100).activated(3));
        assertThat(evaluate(policy(expirePushed(1, TagStatus.ANY, List.of(), 10)), images))
                .as("10 days over pushed 11 d, 9 d, and pushed 100 d but activated 3 d")
                .containsExactly(expired("old", 1));
    }

    @Test
    void sinceImagePulledUsesLastPullOrPushWhenNeverPulled() {
        var rule = rule(1, TagStatus.ANY, List.of(), List.of(), StorageClass.STANDARD, CountType.SINCE_IMAGE_PULLED,
                30, ActionType.TRANSITION);
        var images = repository(image("pulled-long-ago", 100).pulled(40), image("pulled-recently", 100).pulled(2),
                image("never-pulled-old", 31), image("never-pulled-young", 29),
                image("restored-after-pull", 100).pulled(60).activated(10));
        assertThat(evaluate(policy(rule), images)).as("30 days since pull (or push, or activation after the pull)")
                .containsExactly(archivedBy("pulled-long-ago", 1), archivedBy("never-pulled-old", 1));
    }

    @Test
    void sinceImageTransitionedNeverExpiresBeforeTheNinetyDayArchiveMinimum() {
        var rule = rule(1, TagStatus.ANY, List.of(), List.of(), StorageClass.ARCHIVE,
                CountType.SINCE_IMAGE_TRANSITIONED, 30, ActionType.EXPIRE);
        var images = repository(image("a40", 400).archived(40), image("a89", 400).archived(89),
                image("a91", 400).archived(91), image("a20", 400).archived(20));
        assertThat(evaluate(policy(rule), images)).as("30 days since transition, but 90 days is the minimum")
                .containsExactly(expired("a91", 1));
    }

    @Test
    void anImageAnIndexReferencesIsNeverExpiredOrArchived() {
        var images = repository(image("platform", 50).inIndex(), image("loose", 50));
        assertThat(evaluate(policy(expirePushed(1, TagStatus.UNTAGGED, List.of(), 10)), images))
                .as("untagged 50 d old: the index's platform manifest stays, the loose one expires")
                .containsExactly(expired("loose", 1));
        var archive = rule(1, TagStatus.UNTAGGED, List.of(), List.of(), StorageClass.STANDARD,
                CountType.SINCE_IMAGE_PUSHED, 10, ActionType.TRANSITION);
        assertThat(evaluate(policy(archive), images)).as("nor archived").containsExactly(archivedBy("loose", 1));
    }

    @Test
    void referrersFollowTheirSubjectTransitivelyUnlessARuleDecidedThem() {
        var policy = policy(expireCount(1, TagStatus.TAGGED, List.of("v*"), 1),
                expirePushed(2, TagStatus.UNTAGGED, List.of(), 5));
        var images = repository(image("v1", 30, "v1"), image("v2", 1, "v2"),
                image("sig", 1).referring("v1"), image("sig-of-sig", 1).referring("sig"),
                image("old-sbom", 10).referring("v1"), image("sig-v2", 1).referring("v2"));
        var v1 = expired("v1", 1);
        assertThat(evaluate(policy, images))
                .as("v1 expires (keep 1); old-sbom by rule 2; sig and its own signature follow v1; v2's sig stays")
                .containsExactly(v1, expired("old-sbom", 2), cascaded(expired("sig", 1), "v1"),
                        cascaded(expired("sig-of-sig", 1), "sig"));
    }

    @Test
    void referrersFollowATransitionToo() {
        var rule = rule(1, TagStatus.TAGGED, List.of("*"), List.of(), StorageClass.STANDARD,
                CountType.SINCE_IMAGE_PUSHED, 10, ActionType.TRANSITION);
        var images = repository(image("app", 20, "latest"), image("sbom", 1).referring("app"),
                image("pinned-sbom", 1).referring("app").inIndex());
        assertThat(evaluate(policy(rule), images)).as("app archived; its sbom follows; one referenced by an index not")
                .containsExactly(archivedBy("app", 1), cascaded(archivedBy("sbom", 1), "app"));
    }

    @Test
    void theSameInputInAnyOrderGivesTheSameDecisions() {
        var policy = policy(expireCount(1, TagStatus.TAGGED, List.of("v*"), 2),
                expirePushed(2, TagStatus.ANY, List.of(), 3));
        List<LifecycleImage> images = new ArrayList<>(repository(image("a", 5, "v1"), image("b", 5, "v2"),
                image("c", 5, "v3"), image("d", 5, "v4"), image("e", 5), image("f", 5).referring("a")));
        var first = evaluate(policy, images);
        Collections.shuffle(images, new Random(7));
        assertThat(evaluate(policy, images)).as("equal push times, shuffled input").isEqualTo(first);
        assertThat(first).as("four v* images pushed at once, keep 2: ties broken by digest").hasSize(4);
    }
}
