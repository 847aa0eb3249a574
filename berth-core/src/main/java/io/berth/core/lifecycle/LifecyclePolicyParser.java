package io.berth.core.lifecycle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.lifecycle.LifecyclePolicy.Action;
import io.berth.core.lifecycle.LifecyclePolicy.ActionType;
import io.berth.core.lifecycle.LifecyclePolicy.CountType;
import io.berth.core.lifecycle.LifecyclePolicy.Rule;
import io.berth.core.lifecycle.LifecyclePolicy.Selection;
import io.berth.core.lifecycle.LifecyclePolicy.StorageClass;
import io.berth.core.lifecycle.LifecyclePolicy.TagStatus;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns lifecycle policy text into a {@link LifecyclePolicy}, refusing everything ECR refuses (ecr-semantics §2.4)
 * with {@code RegistryException(INVALID_PARAMETER)} and a message that starts {@code Lifecycle policy validation
 * failure:}. Schema-level messages use the JSON-schema wording ECR answers with, followed by the JSON pointer of
 * the offending field (ECR's own messages do not say where, which leaves users guessing in a 50-rule policy).
 * No other exception escapes for any input text.
 */
public final class LifecyclePolicyParser {
    public static final int MIN_LENGTH = 100;
    public static final int MAX_LENGTH = 30_720;
    public static final int MAX_RULES = 50;
    static final int MAX_STARS_PER_PATTERN = 4;
    static final String PREFIX = "Lifecycle policy validation failure: ";

    /** Policies nest 4 deep; the cap keeps hostile input from costing stack. */
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(16).maxNumberLength(64).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private static final Set<String> TOP = Set.of("rules");
    private static final Set<String> RULE = Set.of("rulePriority", "description", "selection", "action");
    private static final Set<String> SELECTION = Set.of("tagStatus", "tagPatternList", "tagPrefixList",
            "storageClass", "countType", "countUnit", "countNumber");
    private static final Set<String> ACTION = Set.of("type", "targetStorageClass");

    private LifecyclePolicyParser() {}

    public static LifecyclePolicy parse(String text) {
        if (text == null || text.length() < MIN_LENGTH || text.length() > MAX_LENGTH) {
            throw refuse("lifecyclePolicyText must be between " + MIN_LENGTH + " and " + MAX_LENGTH
                    + " characters long (found: " + (text == null ? 0 : text.length()) + ")");
        }
        return parseDocument(text);
    }

    /**
     * {@link #parse} without the length limits, for texts whose limits are the caller's (a creation template's
     * {@code lifecyclePolicy} is 0..30,720 characters by ECR's model).
     */
    public static LifecyclePolicy parseDocument(String text) {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (IOException | RuntimeException e) {
            throw refuse("Could not map policyString into LifecyclePolicy.");
        }
        if (root == null || !root.isObject()) { // ECR maps the text onto an object; anything else cannot map
            throw refuse("Could not map policyString into LifecyclePolicy.");
        }
        checkProperties(root, TOP, List.of("rules"), "");
        JsonNode rulesNode = root.get("rules");
        requireType(rulesNode, JsonNode::isArray, "array", "/rules");
        if (rulesNode.size() < 1) {
            throw refuse("array is too short: must have at least 1 elements but instance has 0 elements at /rules");
        }
        if (rulesNode.size() > MAX_RULES) {
            throw refuse("array is too long: must have at most " + MAX_RULES + " elements but instance has "
                    + rulesNode.size() + " elements at /rules");
        }
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < rulesNode.size(); i++) {
            rules.add(rule(rulesNode.get(i), "/rules/" + i));
        }
        checkAcrossRules(rules);
        return new LifecyclePolicy(rules);
    }

    private static Rule rule(JsonNode node, String at) {
        requireObject(node, at);
        checkProperties(node, RULE, List.of("action", "rulePriority", "selection"), at);
        int priority = positiveInt(node.get("rulePriority"), at + "/rulePriority");
        String description = null;
        if (node.has("description")) {
            requireType(node.get("description"), JsonNode::isTextual, "string", at + "/description");
            description = node.get("description").textValue();
        }
        Selection selection = selection(node.get("selection"), at + "/selection");
        Action action = action(node.get("action"), at + "/action");
        checkCombination(selection, action, at);
        return new Rule(priority, description, selection, action);
    }

    private static Selection selection(JsonNode node, String at) {
        requireObject(node, at);
        checkProperties(node, SELECTION, List.of("countNumber", "countType", "tagStatus"), at);
        TagStatus tagStatus = enumValue(node.get("tagStatus"), TagStatus.values(), TagStatus::json,
                at + "/tagStatus");
        List<String> patterns = strings(node, "tagPatternList", at);
        List<String> prefixes = strings(node, "tagPrefixList", at);
        StorageClass storageClass = node.has("storageClass")
                ? enumValue(node.get("storageClass"), StorageClass.values(), StorageClass::json,
                        at + "/storageClass")
                : StorageClass.STANDARD;
        CountType countType = enumValue(node.get("countType"), CountType.values(), CountType::json,
                at + "/countType");
        String countUnit = null;
        if (node.has("countUnit")) {
            JsonNode unit = node.get("countUnit");
            requireType(unit, JsonNode::isTextual, "string", at + "/countUnit");
            if (!"days".equals(unit.textValue())) {
                throw refuse("instance value (" + unit + ") not found in enum :(possible values: [\"days\"]) at "
                        + at + "/countUnit");
            }
            countUnit = "days";
        }
        int countNumber = positiveInt(node.get("countNumber"), at + "/countNumber");

        if (tagStatus == TagStatus.TAGGED && patterns.isEmpty() == prefixes.isEmpty()) {
            throw refuse("exactly one of tagPatternList and tagPrefixList must be specified when tagStatus is"
                    + " tagged at " + at);
        }
        if (tagStatus != TagStatus.TAGGED && (node.has("tagPatternList") || node.has("tagPrefixList"))) {
            throw refuse("tagPatternList and tagPrefixList are only allowed when tagStatus is tagged at " + at);
        }
        for (int i = 0; i < patterns.size(); i++) {
            long stars = patterns.get(i).chars().filter(c -> c == '*').count();
            if (stars > MAX_STARS_PER_PATTERN) {
                throw refuse("a tag pattern may contain at most " + MAX_STARS_PER_PATTERN + " wildcards (found: "
                        + stars + ") at " + at + "/tagPatternList/" + i);
            }
        }
        boolean since = countType != CountType.IMAGE_COUNT_MORE_THAN;
        if (since && countUnit == null) {
            throw refuse("countUnit is required when countType is " + countType.json() + " at " + at);
        }
        if (!since && countUnit != null) {
            throw refuse("countUnit is not allowed when countType is imageCountMoreThan at " + at + "/countUnit");
        }
        if (countType == CountType.SINCE_IMAGE_TRANSITIONED && !node.has("storageClass")) {
            throw refuse("storageClass archive is required when countType is sinceImageTransitioned at " + at);
        }
        StorageClass required = countType == CountType.SINCE_IMAGE_TRANSITIONED
                ? StorageClass.ARCHIVE : StorageClass.STANDARD;
        if (storageClass != required) {
            throw refuse("storageClass " + storageClass.json() + " is not allowed with countType "
                    + countType.json() + " (only " + required.json() + ") at " + at + "/storageClass");
        }
        return new Selection(tagStatus, patterns, prefixes, storageClass, countType, countUnit, countNumber);
    }

    private static Action action(JsonNode node, String at) {
        requireObject(node, at);
        checkProperties(node, ACTION, List.of("type"), at);
        ActionType type = enumValue(node.get("type"), ActionType.values(), ActionType::json, at + "/type");
        StorageClass target = null;
        if (node.has("targetStorageClass")) {
            target = enumValue(node.get("targetStorageClass"), StorageClass.values(), StorageClass::json,
                    at + "/targetStorageClass");
        }
        if (type == ActionType.TRANSITION && target != StorageClass.ARCHIVE) {
            throw refuse("targetStorageClass archive is required when action type is transition at " + at);
        }
        if (type == ActionType.EXPIRE && target != null) {
            throw refuse("targetStorageClass is only allowed when action type is transition at " + at
                    + "/targetStorageClass");
        }
        return new Action(type, target);
    }

    /** The type restrictions between selection and action (§2.4 "Type restrictions"). */
    private static void checkCombination(Selection selection, Action action, String at) {
        if (selection.countType() == CountType.SINCE_IMAGE_PULLED && action.type() != ActionType.TRANSITION) {
            throw refuse("countType sinceImagePulled is only allowed with action type transition at " + at
                    + "/action/type");
        }
        if (selection.countType() == CountType.SINCE_IMAGE_TRANSITIONED && action.type() != ActionType.EXPIRE) {
            throw refuse("countType sinceImageTransitioned is only allowed with action type expire at " + at
                    + "/action/type");
        }
    }

    private static void checkAcrossRules(List<Rule> rules) {
        Set<Integer> priorities = new HashSet<>();
        int highest = Integer.MIN_VALUE;
        for (Rule rule : rules) {
            if (!priorities.add(rule.rulePriority())) {
                throw refuse("rulePriority " + rule.rulePriority() + " is used by more than one rule at /rules");
            }
            highest = Math.max(highest, rule.rulePriority());
        }
        Map<StorageClass, Set<String>> prefixes = new HashMap<>();
        Map<StorageClass, Integer> untagged = new HashMap<>();
        for (Rule rule : rules) {
            Selection s = rule.selection();
            if (s.tagStatus() == TagStatus.ANY && rule.rulePriority() != highest) {
                throw refuse("a rule with tagStatus any must have the highest rulePriority (rulePriority "
                        + rule.rulePriority() + " is lower than " + highest + ") at /rules");
            }
            Set<String> seen = prefixes.computeIfAbsent(s.storageClass(), k -> new HashSet<>());
            for (String prefix : s.tagPrefixList()) {
                if (!seen.add(prefix)) {
                    throw refuse("the rules selecting storageClass " + s.storageClass().json()
                            + " must contain a unique set of prefixes (\"" + prefix + "\" repeats) at /rules");
                }
            }
            if (s.tagStatus() == TagStatus.UNTAGGED && untagged.put(s.storageClass(), rule.rulePriority()) != null) {
                throw refuse("only one rule selecting storageClass " + s.storageClass().json()
                        + " may have tagStatus untagged at /rules");
            }
        }
    }

    private static List<String> strings(JsonNode parent, String field, String at) {
        if (!parent.has(field)) {
            return List.of();
        }
        JsonNode node = parent.get(field);
        String here = at + "/" + field;
        requireType(node, JsonNode::isArray, "array", here);
        if (node.size() < 1) {
            throw refuse("array is too short: must have at least 1 elements but instance has 0 elements at "
                    + here);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            requireType(item, JsonNode::isTextual, "string", here + "/" + i);
            if (item.textValue().isEmpty()) {
                throw refuse("string \"\" is too short (length: 0, required minimum: 1) at " + here + "/" + i);
            }
            out.add(item.textValue());
        }
        return out;
    }

    private static int positiveInt(JsonNode node, String at) {
        requireType(node, n -> n.isIntegralNumber() && n.canConvertToInt(), "integer", at);
        int value = node.intValue();
        if (value < 1) {
            throw refuse("numeric instance is lower than the required minimum (minimum: 1, found: " + value
                    + ") at " + at);
        }
        return value;
    }

    private static <E extends Enum<E>> E enumValue(JsonNode node, E[] values, Function<E, String> json,
                                                   String at) {
        requireType(node, JsonNode::isTextual, "string", at);
        for (E value : values) {
            if (json.apply(value).equals(node.textValue())) {
                return value;
            }
        }
        String possible = String.join(",", Arrays.stream(values).map(v -> "\"" + json.apply(v) + "\"").sorted()
                .toList());
        throw refuse("instance value (" + node + ") not found in enum :(possible values: [" + possible + "]) at "
                + at);
    }

    private static void checkProperties(JsonNode node, Set<String> allowed, List<String> required, String at) {
        List<String> missing = required.stream().filter(name -> !node.has(name)).sorted().toList();
        if (!missing.isEmpty()) {
            throw refuse("object has missing required properties (" + quoted(missing) + ")" + where(at));
        }
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            unknown.sort(null);
            throw refuse("object instance has properties which are not allowed by the schema: (" + quoted(unknown)
                    + ")" + where(at));
        }
    }

    private static void requireObject(JsonNode node, String at) {
        requireType(node, JsonNode::isObject, "object", at.isEmpty() ? "/" : at);
    }

    private static void requireType(JsonNode node, java.util.function.Predicate<JsonNode> test, String expected,
                                    String at) {
        if (!test.test(node)) {
            throw refuse("instance type (" + typeName(node) + ") does not match any allowed primitive type"
                    + " (allowed: [\"" + expected + "\"]) at " + at);
        }
    }

    private static String typeName(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "array";
            case BOOLEAN -> "boolean";
            case NUMBER -> node.isIntegralNumber() ? "integer" : "number";
            case OBJECT -> "object";
            case STRING -> "string";
            default -> "null";
        };
    }

    private static String quoted(List<String> names) {
        return "[" + String.join(",", names.stream().map(n -> "\"" + n + "\"").toList()) + "]";
    }

    private static String where(String at) {
        return at.isEmpty() ? "" : " at " + at;
    }

    private static RegistryException refuse(String detail) {
        return new RegistryException(ErrorCode.INVALID_PARAMETER, PREFIX + detail);
    }
}
