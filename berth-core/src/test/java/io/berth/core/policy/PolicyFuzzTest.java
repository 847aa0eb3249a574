package io.berth.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.auth.Principal;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes parse+evaluate with random JSON trees, mutated valid documents and raw text edits, seeded so every failure
 * reproduces (the message names the seed). The only acceptable outcomes are a Decision or a RegistryException with
 * INVALID_PARAMETER in ECR's form. A plain JUnit generator, not jqwik: see the build commit that removed it.
 */
class PolicyFuzzTest {
    private static final int TRIES = Integer.getInteger("berth.policy.fuzzTries", 30_000);
    private static final String PUNCTUATION = "{}[]\",:\\0-e9\u0000\uD83D";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String[] WORDS = {"Version", "Statement", "Sid", "Effect", "Allow", "Deny", "Principal",
        "NotPrincipal", "AWS", "Service", "*", "Action", "NotAction", "Resource", "NotResource", "Condition",
        "StringEquals", "StringLikeIfExists", "ForAllValues:StringLike", "ForAnyValue:StringEquals", "ArnLike",
        "IpAddress", "NotIpAddress", "Bool", "DateLessThan", "NumericGreaterThan", "Null", "aws:SourceIp",
        "aws:username", "aws:TagKeys", "ecr:ResourceTag/team", "aws:RequestTag/env", "aws:CurrentTime",
        "aws:EpochTime", "aws:SecureTransport", "aws:PrincipalArn", "2012-10-17", "2008-10-17", "ecr:*",
        "ecr:BatchGet*", "arn:aws:ecr:*:111111111111:repository/*", "arn:aws:iam::111111111111:root",
        "111111111111", "10.0.0.0/8", "::1/128", "2020-01-01T00:00:00Z", "${aws:username}", "${*}", "${", "true",
        "StringEqualz", "", "\u0000", "\uD800", "\uFFFF", "🐳", "é", "a:b:c", "ecr:?", "arn:::::"};
    static final List<String> SEEDS = List.of(
            PolicyEvaluatorTest.policy(PolicyEvaluatorTest.EVERYONE, PolicyEvaluatorTest.DENY_EVERYONE),
            PolicyTexts.json("{'Version':'2012-10-17','Statement':[{'Sid':'A','Effect':'Allow','Principal':{'AWS':["
                    + "'111111111111','arn:aws:iam::222222222222:user/bob']},'Action':['ecr:BatchGetImage','ecr:List*'],"
                    + "'Resource':'arn:aws:ecr:*:*:repository/${aws:username}/*','Condition':{'IpAddress':"
                    + "{'aws:SourceIp':['10.0.0.0/8','2001:db8::/32']},'ForAllValues:StringLike':{'aws:TagKeys':"
                    + "['team','env']},'DateLessThanIfExists':{'aws:CurrentTime':'2030-01-01'},'Null':"
                    + "{'aws:RequestTag/env':'false'},'NumericGreaterThan':{'aws:EpochTime':5}}}]}"),
            PolicyTexts.json("{'Statement':{'Effect':'Deny','NotPrincipal':{'AWS':'111111111111'},'NotAction':"
                    + "'ecr:Put*','NotResource':'*','Condition':{'Bool':{'aws:SecureTransport':false},"
                    + "'ArnNotLike':{'aws:PrincipalArn':'arn:aws:iam::*:root'}}}}"));

    @Test
    void parseAndEvaluate_randomAndMutatedDocuments_onlyDecideOrRefuseWithInvalidParameter() {
        long start = System.nanoTime();
        int parsed = 0;
        int refused = 0;
        for (int i = 0; i < TRIES; i++) {
            SplittableRandom r = new SplittableRandom(i);
            String text = switch (i % 3) {
                case 0 -> randomTree(r, 0).toString();
                case 1 -> mutateTree(r);
                default -> mutateText(r);
            };
            try {
                for (PolicyParser parser : new PolicyParser[] {PolicyParser.repository(), PolicyParser.identity()}) {
                    PolicyDocument d = parser.parse(text);
                    parsed++;
                    evaluateAgainstEveryCaller(d);
                }
            } catch (RegistryException e) {
                refused++;
                assertThat(e.code()).as("error code for seed %d: %s", i, text).isEqualTo(ErrorCode.INVALID_PARAMETER);
                assertThat(e.getMessage()).as("message for seed %d", i)
                        .startsWith("Invalid parameter at 'Policy").contains("policy provided': ");
            } catch (Throwable t) {
                fail("seed " + i + " threw " + t + " for input: " + text, t);
            }
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("PolicyFuzzTest: %d inputs in %d ms (%d parses succeeded, %d refusals)%n", TRIES, ms,
                parsed, refused);
        assertThat(parsed).as("some fuzzed documents must be valid, or the mutations are too coarse").isPositive();
        assertThat(refused).as("most fuzzed documents are refused").isPositive();
    }

    static void evaluateAgainstEveryCaller(PolicyDocument d) {
        for (PolicyEvaluatorTest.Caller c : PolicyEvaluatorTest.Caller.values()) {
            RequestContext ctx = PolicyEvaluatorTest.context(c.principal);
            boolean identity = d.kind() == PolicyKind.IDENTITY;
            Decision decision = PolicyEvaluator.evaluate(ctx, identity ? List.of(d) : List.of(),
                    identity ? Optional.empty() : Optional.of(d), Optional.empty());
            assertThat(decision).as("decision for %s", c).isNotNull();
            RequestContext bare = new RequestContext(Principal.ANONYMOUS, "ecr:PutImage", "*", c.principal.isAnonymous()
                    ? PolicyEvaluatorTest.OWN : ctx.resourceAccount(), null, Map.of(), null, false, ctx.currentTime());
            assertThat(PolicyEvaluator.evaluate(bare, List.of(), Optional.of(d), Optional.of(d))).isNotNull();
        }
    }

    private static JsonNode randomTree(SplittableRandom r, int depth) {
        int kind = depth > 6 ? r.nextInt(4) : r.nextInt(7);
        return switch (kind) {
            case 0 -> F.textNode(word(r));
            case 1 -> r.nextBoolean() ? F.numberNode(r.nextLong()) : F.numberNode(r.nextDouble() * 1e300);
            case 2 -> F.booleanNode(r.nextBoolean());
            case 3 -> F.nullNode();
            case 4, 5 -> {
                ObjectNode o = F.objectNode();
                for (int k = r.nextInt(5); k > 0; k--) {
                    o.set(word(r), randomTree(r, depth + 1));
                }
                yield o;
            }
            default -> {
                ArrayNode a = F.arrayNode();
                for (int k = r.nextInt(4); k > 0; k--) {
                    a.add(randomTree(r, depth + 1));
                }
                yield a;
            }
        };
    }

    private static String word(SplittableRandom r) {
        if (r.nextInt(8) == 0) {
            StringBuilder sb = new StringBuilder();
            for (int k = r.nextInt(12); k > 0; k--) {
                sb.append((char) r.nextInt(0x3000));
            }
            return sb.toString();
        }
        return WORDS[r.nextInt(WORDS.length)];
    }

    /** A valid seed with 1–3 random nodes replaced, removed, renamed or wrapped in deep nesting. */
    private static String mutateTree(SplittableRandom r) {
        try {
            JsonNode root = MAPPER.readTree(SEEDS.get(r.nextInt(SEEDS.size())));
            for (int m = 1 + r.nextInt(3); m > 0; m--) {
                List<JsonNode> containers = new ArrayList<>();
                collect(root, containers);
                JsonNode target = containers.get(r.nextInt(containers.size()));
                if (target instanceof ObjectNode o && !o.isEmpty()) {
                    List<String> names = new ArrayList<>();
                    o.fieldNames().forEachRemaining(names::add);
                    String name = names.get(r.nextInt(names.size()));
                    switch (r.nextInt(5)) {
                        case 0 -> o.remove(name);
                        case 1 -> o.set(word(r), o.remove(name));
                        case 2 -> o.set(name, deep(r.nextInt(40)));
                        default -> o.set(name, randomTree(r, 3));
                    }
                } else if (target instanceof ArrayNode a && !a.isEmpty()) {
                    a.set(r.nextInt(a.size()), randomTree(r, 3));
                }
            }
            return root.toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("seed documents are valid JSON", e);
        }
    }

    private static void collect(JsonNode n, List<JsonNode> out) {
        if (n.isContainerNode()) {
            out.add(n);
            for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
                collect(it.next(), out);
            }
        }
    }

    private static JsonNode deep(int depth) {
        JsonNode n = F.textNode("x");
        for (int i = 0; i < depth; i++) {
            n = i % 2 == 0 ? F.arrayNode().add(n) : F.objectNode().set("Statement", n);
        }
        return n;
    }

    /** Raw text edits: deletions, insertions of JSON punctuation and odd characters, and truncation. */
    private static String mutateText(SplittableRandom r) {
        StringBuilder sb = new StringBuilder(SEEDS.get(r.nextInt(SEEDS.size())));
        for (int m = 1 + r.nextInt(4); m > 0 && sb.length() > 0; m--) {
            int at = r.nextInt(sb.length());
            switch (r.nextInt(4)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, PUNCTUATION.charAt(r.nextInt(PUNCTUATION.length())));
                case 2 -> sb.setLength(at);
                default -> sb.insert(at, "[".repeat(r.nextInt(2_000)));
            }
        }
        return sb.toString();
    }
}
