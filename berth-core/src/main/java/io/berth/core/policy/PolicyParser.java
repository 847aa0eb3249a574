package io.berth.core.policy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.berth.core.error.RegistryException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses, validates and compiles IAM JSON policies. Every problem is refused with
 * {@code RegistryException(INVALID_PARAMETER)} in ECR's message form (see {@link Refusals}); nothing is silently
 * ignored, and no other exception escapes for any input text.
 *
 * <p>Choices where AWS is silent or differs by service (documented for operators):
 * <ul>
 *   <li>A missing {@code Version} means {@code 2008-10-17}, as the IAM Version page says; policy variables are then
 *       literal text.</li>
 *   <li>Element names are case-sensitive as AWS writes them; condition operator and key names are not.</li>
 *   <li>Duplicate JSON keys are refused (a second {@code Effect} would otherwise silently win).</li>
 *   <li>In repository and registry policies every action must be {@code *} or an {@code ecr:} action; unknown
 *       {@code ecr:} names are accepted because IAM accepts action names it does not know.</li>
 *   <li>Principals: {@code *}, account IDs, {@code arn:<partition>:iam::<account>:root} and
 *       {@code arn:<partition>:iam::<account>:user/<path/><name>}; {@code Service} principals are accepted and never
 *       match; role, federated and canonical-user principals, and wildcards inside principal ARNs, are refused.</li>
 *   <li>The registry policy is validated with V2 scope (any ECR action), not the legacy V1 three-action list.</li>
 * </ul>
 */
public final class PolicyParser {
    /** ECR's limit for {@code SetRepositoryPolicy} and {@code PutRegistryPolicy} policy text. */
    public static final int DEFAULT_MAX_LENGTH = 10_240;
    /** Real policies nest 5 deep; the cap keeps hostile input from costing stack or memory. */
    static final int MAX_DEPTH = 32;

    static final String V2008 = "2008-10-17";
    static final String V2012 = "2012-10-17";

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH).maxNumberLength(200).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private static final Set<String> TOP_LEVEL = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_ELEMENTS = Set.of("Sid", "Effect", "Principal", "NotPrincipal",
            "Action", "NotAction", "Resource", "NotResource", "Condition");
    private static final Pattern ACTION = Pattern.compile("([A-Za-z0-9-]+):([A-Za-z0-9*?]+)");
    private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
    private static final Pattern ROOT_ARN = Pattern.compile("arn:aws(?:-cn|-us-gov)?:iam::([0-9]{12}):root");
    private static final Pattern USER_ARN = Pattern.compile(
            "arn:aws(?:-cn|-us-gov)?:iam::([0-9]{12}):user/(?:[\\x21-\\x29\\x2B-\\x3E\\x40-\\x7E]+/)*[\\w+=,.@-]{1,64}");
    private static final Pattern SERVICE = Pattern.compile("[a-z0-9-]+(\\.[a-z0-9-]+)+");
    private static final Pattern IDENTITY_SID = Pattern.compile("[A-Za-z0-9]*");

    private final PolicyKind kind;
    private final int maxLength;
    private final Refusals refusals;

    /**
     * @param kind      decides the structural rules and the policy word in messages
     * @param fieldName the request field the text came in, e.g. {@code PolicyText} (ECR's name in its messages)
     * @param maxLength the largest accepted text in characters
     */
    public PolicyParser(PolicyKind kind, String fieldName, int maxLength) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.refusals = new Refusals(kind, Objects.requireNonNull(fieldName, "fieldName"));
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be positive");
        }
        this.maxLength = maxLength;
    }

    /** For {@code SetRepositoryPolicy}: field {@code PolicyText}, 10,240 characters. */
    public static PolicyParser repository() { return new PolicyParser(PolicyKind.REPOSITORY, "PolicyText", DEFAULT_MAX_LENGTH); }

    /** For {@code PutRegistryPolicy}: field {@code PolicyText}, 10,240 characters. */
    public static PolicyParser registry() { return new PolicyParser(PolicyKind.REGISTRY, "PolicyText", DEFAULT_MAX_LENGTH); }

    /** For user policies (IAM names the field {@code PolicyDocument}). */
    public static PolicyParser identity() { return new PolicyParser(PolicyKind.IDENTITY, "PolicyDocument", DEFAULT_MAX_LENGTH); }

    /** Parses {@code text}; throws {@link RegistryException} with {@code INVALID_PARAMETER} for any problem. */
    public PolicyDocument parse(String text) {
        if (text == null || text.isBlank()) {
            throw refusals.refuse("the policy text is empty");
        }
        if (text.length() > maxLength) {
            throw refusals.refuse("the policy text is " + text.length() + " characters; the limit is " + maxLength);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw refusals.refuse("the policy text is not valid JSON: " + shorten(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw refusals.refuse("the policy must be a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!TOP_LEVEL.contains(name)) {
                throw refusals.refuse("unknown top-level element '" + name + "'");
            }
        }
        String version = V2008;
        if (root.has("Version")) {
            JsonNode v = root.get("Version");
            if (!v.isTextual() || !(v.asText().equals(V2008) || v.asText().equals(V2012))) {
                throw refusals.refuse("Version must be \"2012-10-17\" or \"2008-10-17\", not " + shorten(v.toString()));
            }
            version = v.asText();
        }
        String id = null;
        if (root.has("Id")) {
            id = text(root.get("Id"), "Id", "the document");
        }
        JsonNode st = root.get("Statement");
        if (st == null) {
            throw refusals.refuse("the policy has no Statement");
        }
        List<JsonNode> nodes = new ArrayList<>();
        if (st.isArray()) {
            st.forEach(nodes::add);
        } else {
            nodes.add(st);
        }
        if (nodes.isEmpty()) {
            throw refusals.refuse("Statement must not be empty");
        }
        StatementParser parser = new StatementParser(version.equals(V2012));
        List<Statement> statements = new ArrayList<>(nodes.size());
        Set<String> sids = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            Statement s = parser.parse(nodes.get(i), i);
            if (kind == PolicyKind.IDENTITY && s.sid() != null && !sids.add(s.sid())) {
                throw refusals.refuse("Sid '" + s.sid() + "' is used by more than one statement; IAM requires"
                        + " unique Sids in identity policies");
            }
            statements.add(s);
        }
        return new PolicyDocument(kind, version, id, statements, text);
    }

    private String text(JsonNode node, String element, String where) {
        if (!node.isTextual()) {
            throw refusals.refuse(element + " in " + where + " must be a string");
        }
        return node.asText();
    }

    /** A string or a non-empty array of strings, as IAM allows for Action, Resource and principal lists. */
    private List<String> texts(JsonNode node, String element, String where) {
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        if (!node.isArray() || node.isEmpty()) {
            throw refusals.refuse(element + " in " + where + " must be a string or a non-empty array of strings");
        }
        List<String> out = new ArrayList<>(node.size());
        for (JsonNode n : node) {
            out.add(text(n, element, where));
        }
        return out;
    }

    private static String shorten(String s) {
        String one = s == null ? "" : s.replaceAll("\\s+", " ");
        return one.length() <= 160 ? one : one.substring(0, 160) + "…";
    }

    /** Parses statements of one document; knows whether policy variables are active (2012-10-17 only). */
    private final class StatementParser {
        private final boolean variables;
        private final ConditionParser conditions;

        StatementParser(boolean variables) {
            this.variables = variables;
            this.conditions = new ConditionParser(refusals, variables);
        }

        Statement parse(JsonNode node, int index) {
            String where = "statement #" + (index + 1);
            if (!node.isObject()) {
                throw refusals.refuse(where + " must be a JSON object");
            }
            String sid = null;
            if (node.has("Sid")) {
                sid = text(node.get("Sid"), "Sid", where);
                if (!sid.isEmpty()) {
                    where = "statement '" + sid + "'";
                }
                if (kind == PolicyKind.IDENTITY && !IDENTITY_SID.matcher(sid).matches()) {
                    throw refusals.refuse("Sid '" + sid + "' may only contain ASCII letters and digits in an"
                            + " identity policy");
                }
            }
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!STATEMENT_ELEMENTS.contains(name)) {
                    throw refusals.refuse("unknown element '" + name + "' in " + where);
                }
            }
            JsonNode effect = node.get("Effect");
            if (effect == null) {
                throw refusals.refuse(where + " has no Effect");
            }
            String e = text(effect, "Effect", where);
            if (!e.equals("Allow") && !e.equals("Deny")) {
                throw refusals.refuse("Effect in " + where + " must be \"Allow\" or \"Deny\", not \"" + e + "\"");
            }
            String principalName = exactlyOne(node, "Principal", "NotPrincipal", where, kind.isResourcePolicy());
            if (principalName != null && !kind.isResourcePolicy()) {
                throw refusals.refuse(principalName + " in " + where + " is not allowed in an identity policy");
            }
            PrincipalSpec principal = principalName == null ? null : principal(node.get(principalName), principalName, where);
            String actionName = exactlyOne(node, "Action", "NotAction", where, true);
            List<Glob> actions = new ArrayList<>();
            for (String a : texts(node.get(actionName), actionName, where)) {
                actions.add(action(a, actionName, where));
            }
            String resourceName = exactlyOne(node, "Resource", "NotResource", where, !kind.isResourcePolicy());
            List<ArnPattern> resources = null;
            if (resourceName != null) {
                resources = new ArrayList<>();
                for (String r : texts(node.get(resourceName), resourceName, where)) {
                    resources.add(ArnPattern.compile(r, variables, refusals, resourceName + " of " + where));
                }
                resources = List.copyOf(resources);
            }
            List<Condition> conds = node.has("Condition") ? conditions.parse(node.get("Condition"), where) : List.of();
            return new Statement(index, sid, e.equals("Allow"), principal, "NotPrincipal".equals(principalName),
                    List.copyOf(actions), "NotAction".equals(actionName), resources, "NotResource".equals(resourceName),
                    conds);
        }

        /** The one of {@code a}/{@code b} present; refuses both, and neither when {@code required}. */
        private String exactlyOne(JsonNode node, String a, String b, String where, boolean required) {
            boolean hasA = node.has(a);
            boolean hasB = node.has(b);
            if (hasA && hasB) {
                throw refusals.refuse(where + " has both " + a + " and " + b);
            }
            if (!hasA && !hasB) {
                if (required) {
                    throw refusals.refuse(where + " has neither " + a + " nor " + b);
                }
                return null;
            }
            return hasA ? a : b;
        }

        private Glob action(String a, String element, String where) {
            if (a.equals("*")) {
                return Glob.of("*", true, false);
            }
            Matcher m = ACTION.matcher(a);
            if (!m.matches()) {
                throw refusals.refuse("'" + a + "' in " + element + " of " + where
                        + " is not an action of the form service:Name");
            }
            if (kind.isResourcePolicy() && !m.group(1).equalsIgnoreCase(kind.service())) {
                throw refusals.refuse("'" + a + "' in " + element + " of " + where + " is not an " + kind.service()
                        + ": action; a " + kind.label() + " policy can only grant or deny "
                        + kind.service().toUpperCase(Locale.ROOT) + " actions");
            }
            return Glob.of(a.toLowerCase(Locale.ROOT), true, false);
        }

        private PrincipalSpec principal(JsonNode node, String element, String where) {
            if (node.isTextual()) {
                if (node.asText().equals("*")) {
                    return new PrincipalSpec(true, Set.of(), Set.of(), Set.of());
                }
                throw refusals.refuse(element + " in " + where + " must be \"*\" or an object such as"
                        + " {\"AWS\": \"123456789012\"}");
            }
            if (!node.isObject() || node.isEmpty()) {
                throw refusals.refuse(element + " in " + where + " must be \"*\" or a non-empty object");
            }
            boolean everyone = false;
            Set<String> accounts = new HashSet<>();
            Set<String> users = new HashSet<>();
            Set<String> services = new HashSet<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String type = it.next();
                List<String> values = texts(node.get(type), element + "." + type, where);
                if (type.equals("AWS")) {
                    for (String v : values) {
                        everyone |= awsPrincipal(v, accounts, users, element, where);
                    }
                } else if (type.equals("Service")) {
                    for (String v : values) {
                        if (!SERVICE.matcher(v).matches()) {
                            throw refusals.refuse("'" + v + "' in " + element + " of " + where
                                    + " is not a service principal such as replication.ecr.amazonaws.com");
                        }
                        services.add(v);
                    }
                } else {
                    throw refusals.refuse("principal type '" + type + "' in " + where
                            + " is not supported; Berth knows AWS and Service principals");
                }
            }
            return new PrincipalSpec(everyone, Set.copyOf(accounts), Set.copyOf(users), Set.copyOf(services));
        }

        /** Adds one {@code AWS} principal; returns true for {@code *}. */
        private boolean awsPrincipal(String v, Set<String> accounts, Set<String> users, String element, String where) {
            if (v.equals("*")) {
                return true;
            }
            if (ACCOUNT_ID.matcher(v).matches()) {
                accounts.add(v);
                return false;
            }
            Matcher root = ROOT_ARN.matcher(v);
            if (root.matches()) {
                accounts.add(root.group(1));
                return false;
            }
            if (USER_ARN.matcher(v).matches()) {
                users.add(v);
                return false;
            }
            throw refusals.refuse("invalid principal '" + v + "' in " + element + " of " + where + "; use \"*\", an"
                    + " account ID, arn:aws:iam::<account>:root or arn:aws:iam::<account>:user/<name>"
                    + " (wildcards are not allowed in principal ARNs)");
        }
    }
}
