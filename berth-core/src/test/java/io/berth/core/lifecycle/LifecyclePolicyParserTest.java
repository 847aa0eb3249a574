package io.berth.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.lifecycle.LifecyclePolicy.ActionType;
import io.berth.core.lifecycle.LifecyclePolicy.CountType;
import io.berth.core.lifecycle.LifecyclePolicy.Rule;
import io.berth.core.lifecycle.LifecyclePolicy.StorageClass;
import io.berth.core.lifecycle.LifecyclePolicy.TagStatus;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LifecyclePolicyParserTest {
    static final String PREFIX = "Lifecycle policy validation failure: ";

    /** A rule with the given selection body and action, padded by a description so the text is long enough. */
    static String rule(int priority, String selection, String action) {
        return "{\"rulePriority\":" + priority + ",\"description\":\"a rule written for the parser's tests\","
                + "\"selection\":{" + selection + "},\"action\":{" + action + "}}";
    }

    static String policy(String... rules) {
        return "{\"rules\":[" + String.join(",", rules) + "]}";
    }

    static final String EXPIRE = "\"type\":\"expire\"";
    static final String ARCHIVE = "\"type\":\"transition\",\"targetStorageClass\":\"archive\"";
    static final String UNTAGGED_COUNT = "\"tagStatus\":\"untagged\",\"countType\":\"imageCountMoreThan\","
            + "\"countNumber\":1";

    private static String refusal(String text) {
        RegistryException e = catchThrowableOfType(() -> LifecyclePolicyParser.parse(text), RegistryException.class);
        assertThat(e).as("refusal of %s", text).isNotNull();
        assertThat(e.code()).as("code for %s", text).isEqualTo(ErrorCode.INVALID_PARAMETER);
        return e.getMessage();
    }

    @Test
    void parse_everyFieldOfEcrsTemplate_mapsOntoTheModel() {
        String text = policy(
                rule(1, "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"prod*\"],\"countType\":\"sinceImagePulled\","
                        + "\"countUnit\":\"days\",\"countNumber\":30", ARCHIVE),
                rule(2, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"dev\",\"x\"],\"storageClass\":\"archive\","
                        + "\"countType\":\"sinceImageTransitioned\",\"countUnit\":\"days\",\"countNumber\":90", EXPIRE),
                rule(9, "\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":5", EXPIRE));
        LifecyclePolicy policy = LifecyclePolicyParser.parse(text);
        assertThat(policy.rules()).as("rules parsed from %s", text).hasSize(3);
        Rule first = policy.rules().get(0);
        assertThat(first.rulePriority()).isEqualTo(1);
        assertThat(first.description()).isEqualTo("a rule written for the parser's tests");
        assertThat(first.selection().tagStatus()).isEqualTo(TagStatus.TAGGED);
        assertThat(first.selection().tagPatternList()).containsExactly("prod*");
        assertThat(first.selection().storageClass()).as("absent storageClass").isEqualTo(StorageClass.STANDARD);
        assertThat(first.selection().countType()).isEqualTo(CountType.SINCE_IMAGE_PULLED);
        assertThat(first.selection().countUnit()).isEqualTo("days");
        assertThat(first.selection().countNumber()).isEqualTo(30);
        assertThat(first.action().type()).isEqualTo(ActionType.TRANSITION);
        assertThat(first.action().targetStorageClass()).isEqualTo(StorageClass.ARCHIVE);
        Rule second = policy.rules().get(1);
        assertThat(second.selection().tagPrefixList()).containsExactly("dev", "x");
        assertThat(second.selection().storageClass()).isEqualTo(StorageClass.ARCHIVE);
        assertThat(second.action().targetStorageClass()).as("expire has no target").isNull();
        Rule third = policy.rules().get(2);
        assertThat(third.selection().tagStatus()).isEqualTo(TagStatus.ANY);
        assertThat(third.selection().countUnit()).isNull();
    }

    @Test
    void parse_notJson_isRefusedAsEcrDoes() {
        assertThat(refusal("x".repeat(120))).isEqualTo(PREFIX + "Could not map policyString into LifecyclePolicy.");
        assertThat(refusal(policy(rule(1, UNTAGGED_COUNT, EXPIRE)) + " trailing"))
                .as("trailing text").isEqualTo(PREFIX + "Could not map policyString into LifecyclePolicy.");
    }

    @Test
    void parse_lengthOutside100To30720_isRefused() {
        assertThat(refusal("{\"rules\":[]}")).isEqualTo(PREFIX
                + "lifecyclePolicyText must be between 100 and 30720 characters long (found: 12)");
        String valid = policy(rule(1, UNTAGGED_COUNT, EXPIRE));
        String tooLong = valid + " ".repeat(30_721 - valid.length());
        assertThat(refusal(tooLong)).isEqualTo(PREFIX
                + "lifecyclePolicyText must be between 100 and 30720 characters long (found: 30721)");
        String longest = valid + " ".repeat(30_720 - valid.length());
        assertThat(LifecyclePolicyParser.parse(longest).rules()).as("30,720 characters").hasSize(1);
    }

    @Test
    void parse_missingRequiredProperties_namesThem() {
        assertThat(refusal("{\"notRules\":\"" + "x".repeat(100) + "\"}"))
                .isEqualTo(PREFIX + "object has missing required properties ([\"rules\"])");
        assertThat(refusal(policy("{\"rulePriority\":1,\"description\":\"" + "x".repeat(80)
                + "\",\"selection\":{" + UNTAGGED_COUNT + "}}")))
                .isEqualTo(PREFIX + "object has missing required properties ([\"action\"]) at /rules/0");
        assertThat(refusal(policy(rule(1, "\"tagStatus\":\"untagged\"", EXPIRE)))).isEqualTo(PREFIX
                + "object has missing required properties ([\"countNumber\",\"countType\"]) at /rules/0/selection");
    }

    @Test
    void parse_unknownField_isNotAllowedByTheSchema() {
        assertThat(refusal(policy(rule(1, UNTAGGED_COUNT + ",\"foo\":1", EXPIRE)))).isEqualTo(PREFIX
                + "object instance has properties which are not allowed by the schema: ([\"foo\"]) at /rules/0/selection");
        assertThat(refusal("{\"extra\":true," + policy(rule(1, UNTAGGED_COUNT, EXPIRE)).substring(1)))
                .isEqualTo(PREFIX + "object instance has properties which are not allowed by the schema: ([\"extra\"])");
    }

    @Test
    void parse_valueOutsideEnum_listsThePossibleValues() {
        assertThat(refusal(policy(rule(1, UNTAGGED_COUNT.replace("untagged", "some"), EXPIRE)))).isEqualTo(PREFIX
                + "instance value (\"some\") not found in enum :(possible values: [\"any\",\"tagged\",\"untagged\"])"
                + " at /rules/0/selection/tagStatus");
        assertThat(refusal(policy(rule(1, UNTAGGED_COUNT.replace("imageCountMoreThan", "newest"), EXPIRE))))
                .isEqualTo(PREFIX + "instance value (\"newest\") not found in enum :(possible values: "
                        + "[\"imageCountMoreThan\",\"sinceImagePulled\",\"sinceImagePushed\",\"sinceImageTransitioned\"])"
                        + " at /rules/0/selection/countType");
        assertThat(refusal(policy(rule(1, UNTAGGED_COUNT, "\"type\":\"delete\"")))).isEqualTo(PREFIX
                + "instance value (\"delete\") not found in enum :(possible values: [\"expire\",\"transition\"])"
                + " at /rules/0/action/type");
    }

    @Test
    void parse_countNumberZero_isBelowTheMinimum() {
        assertThat(refusal(policy(rule(1, UNTAGGED_COUNT.replace(":1", ":0"), EXPIRE)))).isEqualTo(PREFIX
                + "numeric instance is lower than the required minimum (minimum: 1, found: 0)"
                + " at /rules/0/selection/countNumber");
    }

    @Test
    void parse_rulePriorityNotAPositiveInteger_isRefused() {
        assertThat(refusal(policy(rule(0, UNTAGGED_COUNT, EXPIRE)))).isEqualTo(PREFIX
                + "numeric instance is lower than the required minimum (minimum: 1, found: 0) at /rules/0/rulePriority");
        assertThat(refusal(policy(rule(1, UNTAGGED_COUNT, EXPIRE).replace("\"rulePriority\":1",
                "\"rulePriority\":\"1\"")))).isEqualTo(PREFIX + "instance type (string) does not match any allowed"
                + " primitive type (allowed: [\"integer\"]) at /rules/0/rulePriority");
    }

    @Test
    void parse_duplicateRulePriority_isRefused() {
        String tagged = "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"a\"],\"countType\":\"imageCountMoreThan\","
                + "\"countNumber\":1";
        assertThat(refusal(policy(rule(3, UNTAGGED_COUNT, EXPIRE), rule(3, tagged, EXPIRE))))
                .isEqualTo(PREFIX + "rulePriority 3 is used by more than one rule at /rules");
    }

    @Test
    void parse_moreThan50Rules_isRefused() {
        String rules = IntStream.rangeClosed(1, 51).mapToObj(i -> "{\"rulePriority\":" + i + ",\"selection\":{"
                + "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"p" + i + "\"],\"countType\":\"imageCountMoreThan\","
                + "\"countNumber\":1},\"action\":{\"type\":\"expire\"}}").collect(Collectors.joining(","));
        assertThat(refusal("{\"rules\":[" + rules + "]}")).isEqualTo(PREFIX
                + "array is too long: must have at most 50 elements but instance has 51 elements at /rules");
        String fifty = rules.substring(0, rules.lastIndexOf(",{\"rulePriority\":51"));
        assertThat(LifecyclePolicyParser.parse("{\"rules\":[" + fifty + "]}").rules()).hasSize(50);
    }

    @Test
    void parse_anyWithoutTheHighestPriority_isRefused() {
        String any = "\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":1";
        assertThat(refusal(policy(rule(1, any, EXPIRE), rule(2, UNTAGGED_COUNT, EXPIRE)))).isEqualTo(PREFIX
                + "a rule with tagStatus any must have the highest rulePriority (rulePriority 1 is lower than 2)"
                + " at /rules");
    }

    @Test
    void parse_taggedNeedsExactlyOneList_untaggedNeither() {
        String count = ",\"countType\":\"imageCountMoreThan\",\"countNumber\":1";
        String exactlyOne = PREFIX + "exactly one of tagPatternList and tagPrefixList must be specified when"
                + " tagStatus is tagged at /rules/0/selection";
        assertThat(refusal(policy(rule(1, "\"tagStatus\":\"tagged\"" + count, EXPIRE)))).isEqualTo(exactlyOne);
        assertThat(refusal(policy(rule(1, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"a\"],"
                + "\"tagPatternList\":[\"b*\"]" + count, EXPIRE)))).isEqualTo(exactlyOne);
        assertThat(refusal(policy(rule(1, "\"tagStatus\":\"untagged\",\"tagPrefixList\":[\"a\"]" + count,
                EXPIRE)))).isEqualTo(PREFIX + "tagPatternList and tagPrefixList are only allowed when tagStatus is"
                + " tagged at /rules/0/selection");
    }

    @Test
    void parse_patternWithFiveStars_isRefused_fourAreAllowed() {
        String count = ",\"countType\":\"imageCountMoreThan\",\"countNumber\":1";
        assertThat(LifecyclePolicyParser.parse(policy(rule(1, "\"tagStatus\":\"tagged\",\"tagPatternList\":"
                + "[\"*test*1*2*3\",\"test*1*2*3*\"]" + count, EXPIRE))).rules()).as("ECR's valid example").hasSize(1);
        assertThat(refusal(policy(rule(1, "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"ok\","
                + "\"test*1*2*3*4*5*6\"]" + count, EXPIRE)))).isEqualTo(PREFIX
                + "a tag pattern may contain at most 4 wildcards (found: 6) at /rules/0/selection/tagPatternList/1");
    }

    @Test
    void parse_countUnit_onlyDaysAndOnlyForSinceTypes() {
        assertThat(refusal(policy(rule(1, "\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePushed\","
                + "\"countNumber\":1", EXPIRE)))).isEqualTo(PREFIX
                + "countUnit is required when countType is sinceImagePushed at /rules/0/selection");
        assertThat(refusal(policy(rule(1, UNTAGGED_COUNT + ",\"countUnit\":\"days\"", EXPIRE)))).isEqualTo(PREFIX
                + "countUnit is not allowed when countType is imageCountMoreThan at /rules/0/selection/countUnit");
        assertThat(refusal(policy(rule(1, "\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePushed\","
                + "\"countUnit\":\"hours\",\"countNumber\":1", EXPIRE)))).isEqualTo(PREFIX
                + "instance value (\"hours\") not found in enum :(possible values: [\"days\"])"
                + " at /rules/0/selection/countUnit");
    }

    @Test
    void parse_storageClass_archiveOnlyWithSinceImageTransitioned() {
        assertThat(refusal(policy(rule(1, UNTAGGED_COUNT + ",\"storageClass\":\"archive\"", EXPIRE))))
                .isEqualTo(PREFIX + "storageClass archive is not allowed with countType imageCountMoreThan"
                        + " (only standard) at /rules/0/selection/storageClass");
        String transitioned = "\"tagStatus\":\"untagged\",\"countType\":\"sinceImageTransitioned\","
                + "\"countUnit\":\"days\",\"countNumber\":90";
        assertThat(refusal(policy(rule(1, transitioned, EXPIRE)))).isEqualTo(PREFIX
                + "storageClass archive is required when countType is sinceImageTransitioned at /rules/0/selection");
        assertThat(refusal(policy(rule(1, transitioned + ",\"storageClass\":\"standard\"", EXPIRE))))
                .isEqualTo(PREFIX + "storageClass standard is not allowed with countType sinceImageTransitioned"
                        + " (only archive) at /rules/0/selection/storageClass");
    }

    @Test
    void parse_sinceImagePulledOnlyTransitions_sinceImageTransitionedOnlyExpires() {
        assertThat(refusal(policy(rule(1, "\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePulled\","
                + "\"countUnit\":\"days\",\"countNumber\":1", EXPIRE)))).isEqualTo(PREFIX
                + "countType sinceImagePulled is only allowed with action type transition at /rules/0/action/type");
        assertThat(refusal(policy(rule(1, "\"tagStatus\":\"untagged\",\"storageClass\":\"archive\","
                + "\"countType\":\"sinceImageTransitioned\",\"countUnit\":\"days\",\"countNumber\":90", ARCHIVE))))
                .isEqualTo(PREFIX + "countType sinceImageTransitioned is only allowed with action type expire"
                        + " at /rules/0/action/type");
    }

    @Test
    void parse_transitionNeedsArchiveTarget_expireHasNone() {
        assertThat(refusal(policy(rule(1, UNTAGGED_COUNT, "\"type\":\"transition\"")))).isEqualTo(PREFIX
                + "targetStorageClass archive is required when action type is transition at /rules/0/action");
        assertThat(refusal(policy(rule(1, UNTAGGED_COUNT, "\"type\":\"transition\",\"targetStorageClass\":"
                + "\"standard\"")))).isEqualTo(PREFIX
                + "targetStorageClass archive is required when action type is transition at /rules/0/action");
        assertThat(refusal(policy(rule(1, UNTAGGED_COUNT, EXPIRE + ",\"targetStorageClass\":\"archive\""))))
                .isEqualTo(PREFIX + "targetStorageClass is only allowed when action type is transition"
                        + " at /rules/0/action/targetStorageClass");
    }

    @Test
    void parse_prefixRepeatedWithinAStorageClass_isRefused() {
        String tagged = "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"prod\"],\"countType\":"
                + "\"imageCountMoreThan\",\"countNumber\":1";
        assertThat(refusal(policy(rule(1, tagged, EXPIRE), rule(2, tagged, EXPIRE)))).isEqualTo(PREFIX
                + "the rules selecting storageClass standard must contain a unique set of prefixes"
                + " (\"prod\" repeats) at /rules");
        String archived = "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"prod\"],\"storageClass\":\"archive\","
                + "\"countType\":\"sinceImageTransitioned\",\"countUnit\":\"days\",\"countNumber\":90";
        assertThat(LifecyclePolicyParser.parse(policy(rule(1, tagged, EXPIRE), rule(2, archived, EXPIRE))).rules())
                .as("the same prefix in another storage class").hasSize(2);
    }

    @Test
    void parse_twoUntaggedRulesInAStorageClass_isRefused() {
        String pushed = "\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePushed\",\"countUnit\":\"days\","
                + "\"countNumber\":3";
        assertThat(refusal(policy(rule(1, UNTAGGED_COUNT, EXPIRE), rule(2, pushed, EXPIRE)))).isEqualTo(PREFIX
                + "only one rule selecting storageClass standard may have tagStatus untagged at /rules");
    }

    @Test
    void parseDocument_leavesLengthToTheCaller_butRefusesWhatCannotMap() {
        assertThat(refusal("[]")).as("parse of [] checks the length first")
                .isEqualTo(PREFIX + "lifecyclePolicyText must be between 100 and 30720 characters long (found: 2)");
        RegistryException e = catchThrowableOfType(() -> LifecyclePolicyParser.parseDocument("[]"),
                RegistryException.class);
        assertThat(e.getMessage()).as("parseDocument of [] (a template's policy has no minimum length)")
                .isEqualTo(PREFIX + "Could not map policyString into LifecyclePolicy.");
        assertThat(LifecyclePolicyParser.parseDocument(policy(rule(1, UNTAGGED_COUNT, EXPIRE))).rules()).hasSize(1);
    }
}
