package io.berth.core.policy;

import static io.berth.core.policy.Decision.Outcome.ALLOW;
import static io.berth.core.policy.Decision.Outcome.EXPLICIT_DENY;
import static io.berth.core.policy.Decision.Outcome.IMPLICIT_DENY;
import static io.berth.core.policy.PolicyTexts.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.auth.Principal;
import io.berth.core.model.RegistryId;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decision table. Expected values follow the IAM user guide: "Policy evaluation logic" (explicit deny wins;
 * same-account union of identity and resource policies), "Cross-account policy evaluation logic" (both sides must
 * allow), and the Principal element page (an account principal delegates to the account's administrator, so it does
 * not grant a same-account user by itself; {@code *} includes anonymous callers).
 */
class PolicyEvaluatorTest {
    static final RegistryId OWN = new RegistryId("111111111111");
    static final RegistryId OTHER = new RegistryId("222222222222");
    static final String REPO_ARN = RequestContext.repositoryArn("us-east-1", OWN, "app");

    enum Caller {
        ALICE_WITH_IDENTITY_ALLOW(Principal.user(OWN, "alice", "AK1"), true),
        ALICE_WITHOUT(Principal.user(OWN, "alice", "AK1"), false),
        OWN_ROOT(Principal.root(OWN, "AK0"), false),
        OTHER_ROOT(Principal.root(OTHER, "AK2"), false),
        BOB_WITH_IDENTITY_ALLOW(Principal.user(OTHER, "bob", "AK3"), true),
        BOB_WITHOUT(Principal.user(OTHER, "bob", "AK3"), false),
        ANONYMOUS(Principal.ANONYMOUS, false);

        final Principal principal;
        final boolean identityAllow;

        Caller(Principal principal, boolean identityAllow) {
            this.principal = principal;
            this.identityAllow = identityAllow;
        }
    }

    static final PolicyDocument IDENTITY_PULL = PolicyParser.identity().parse(json("{'Version':'2012-10-17',"
            + "'Statement':{'Effect':'Allow','Action':'ecr:BatchGetImage','Resource':'arn:aws:ecr:*:111111111111:repository/*'}}"));

    static String allow(String principal, String extra) {
        return "{'Sid':'A','Effect':'Allow','Principal':" + principal + ",'Action':'ecr:BatchGetImage'" + extra + "}";
    }

    static String policy(String... statements) {
        return json("{'Version':'2012-10-17','Statement':[" + String.join(",", statements) + "]}");
    }

    static final String EVERYONE = allow("'*'", "");
    static final String DENY_EVERYONE = "{'Sid':'D','Effect':'Deny','Principal':'*','Action':'ecr:*'}";

    static RequestContext context(Principal p) {
        return new RequestContext(p, "ecr:BatchGetImage", REPO_ARN, OWN, Map.of("team", "blue"),
                Map.of("env", "prod"), address("10.1.2.3"), true, Instant.parse("2025-06-01T12:00:00Z"));
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> table() {
        Object A = ALLOW;
        Object I = IMPLICIT_DENY;
        Object D = EXPLICIT_DENY;
        Object[][] rows = {
            // repository policy                                                     aliceId alice ownRoot othRoot bobId bob anon
            {"none", null,                                                             A, I, A, I, I, I, I},
            {"allow own account", policy(allow("{'AWS':'111111111111'}", "")),         A, I, A, I, I, I, I},
            {"allow alice", policy(allow("{'AWS':'arn:aws:iam::111111111111:user/alice'}", "")), A, A, A, I, I, I, I},
            {"allow other account", policy(allow("{'AWS':'arn:aws:iam::222222222222:root'}", "")), A, I, A, A, A, I, I},
            {"allow bob", policy(allow("{'AWS':'arn:aws:iam::222222222222:user/bob'}", "")), A, I, A, I, A, I, I},
            {"allow *", policy(EVERYONE),                                              A, A, A, A, A, I, A},
            {"allow AWS:*", policy(allow("{'AWS':'*'}", "")),                          A, A, A, A, A, I, A},
            {"deny *", policy(EVERYONE, DENY_EVERYONE),                                D, D, D, D, D, D, D},
            {"deny other account", policy(EVERYONE, "{'Effect':'Deny','Principal':{'AWS':'222222222222'},"
                    + "'Action':'ecr:*'}"),                                            A, A, A, D, D, D, A},
            {"allow * NotAction push", policy("{'Effect':'Allow','Principal':'*','NotAction':['ecr:PutImage']}"),
                                                                                       A, A, A, A, A, I, A},
            {"deny * NotAction push", policy(EVERYONE, "{'Effect':'Deny','Principal':'*','NotAction':'ecr:PutImage'}"),
                                                                                       D, D, D, D, D, D, D},
            {"deny NotPrincipal alice", policy(EVERYONE, "{'Effect':'Deny','NotPrincipal':{'AWS':["
                    + "'arn:aws:iam::111111111111:user/alice','111111111111']},'Action':'ecr:*'}"),
                                                                                       A, A, A, D, D, D, D},
            {"allow * from 10/8", policy(allow("'*'", ",'Condition':{'IpAddress':{'aws:SourceIp':'10.0.0.0/8'}}")),
                                                                                       A, A, A, A, A, I, A},
            {"allow * from 192.168/16", policy(allow("'*'",
                    ",'Condition':{'IpAddress':{'aws:SourceIp':'192.168.0.0/16'}}")),  A, I, A, I, I, I, I},
            {"allow * if team=blue", policy(allow("'*'",
                    ",'Condition':{'StringEquals':{'ecr:ResourceTag/team':'blue'}}")), A, A, A, A, A, I, A},
            {"allow * if team=red", policy(allow("'*'",
                    ",'Condition':{'StringEquals':{'ecr:ResourceTag/team':'red'}}")),  A, I, A, I, I, I, I},
            {"deny if request env=prod", policy(EVERYONE, "{'Effect':'Deny','Principal':'*','Action':'ecr:*',"
                    + "'Condition':{'StringEquals':{'aws:RequestTag/env':'prod'}}}"),  D, D, D, D, D, D, D},
            {"deny unless TLS", policy(EVERYONE, "{'Effect':'Deny','Principal':'*','Action':'ecr:*',"
                    + "'Condition':{'Bool':{'aws:SecureTransport':'false'}}}"),         A, A, A, A, A, I, A},
        };
        List<Arguments> out = new ArrayList<>();
        for (Object[] row : rows) {
            for (Caller c : Caller.values()) {
                out.add(Arguments.of(row[0], row[1], c, row[2 + c.ordinal()]));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} / {2} -> {3}")
    @MethodSource("table")
    void evaluate_decisionTable_matchesAwsLogic(String name, String repositoryPolicy, Caller caller,
                                                Decision.Outcome expected) {
        Optional<PolicyDocument> repo = Optional.ofNullable(repositoryPolicy).map(PolicyParser.repository()::parse);
        List<PolicyDocument> identity = caller.identityAllow ? List.of(IDENTITY_PULL) : List.of();
        Decision d = PolicyEvaluator.evaluate(context(caller.principal), identity, repo, Optional.empty());
        assertThat(d.outcome()).as("pull by %s under repository policy '%s' (%s)", caller, name, d.describe())
                .isEqualTo(expected);
    }

    @Test
    void evaluate_registryPolicyAllowsOtherAccount_countsAsResourceSideAllow() {
        PolicyDocument registry = PolicyParser.registry().parse(policy(
                allow("{'AWS':'222222222222'}", ",'Resource':'arn:aws:ecr:us-east-1:111111111111:repository/*'")));
        Decision d = PolicyEvaluator.evaluate(context(Principal.user(OTHER, "bob", "AK3")),
                List.of(PolicyParser.identity().parse(policy("{'Effect':'Allow','Action':'ecr:*','Resource':'*'}"))),
                Optional.empty(), Optional.of(registry));
        assertThat(d.outcome()).as("cross-account pull allowed by registry policy + identity policy").isEqualTo(ALLOW);
        assertThat(d.source()).as("deciding source").isEqualTo(Decision.Source.REGISTRY_POLICY);
    }

    @Test
    void evaluate_registryDenyAndRepositoryAllow_denyWins() {
        Decision d = PolicyEvaluator.evaluate(context(Principal.root(OTHER, "AK2")), List.of(),
                Optional.of(PolicyParser.repository().parse(policy(EVERYONE))),
                Optional.of(PolicyParser.registry().parse(policy(DENY_EVERYONE))));
        assertThat(d.outcome()).as("registry deny against repository allow").isEqualTo(EXPLICIT_DENY);
        assertThat(d.describe()).as("description of the decision")
                .isEqualTo("explicit deny by statement 'D' (#1) of the registry policy");
    }

    @Test
    void evaluate_identityDeny_winsOverResourceAllow() {
        PolicyDocument deny = PolicyParser.identity().parse(policy(
                "{'Sid':'NoPull','Effect':'Deny','Action':'ecr:BatchGet*','Resource':'*'}"));
        Decision d = PolicyEvaluator.evaluate(context(Principal.user(OWN, "alice", "AK1")), List.of(IDENTITY_PULL, deny),
                Optional.of(PolicyParser.repository().parse(policy(EVERYONE))), Optional.empty());
        assertThat(d).as("identity deny in the second identity policy")
                .isEqualTo(new Decision(EXPLICIT_DENY, Decision.Source.IDENTITY_POLICY, 1, 0, "NoPull"));
    }

    @Test
    void evaluate_resourceVariableForUsername_matchesOwnRepositoryOnly() {
        PolicyDocument idp = PolicyParser.identity().parse(policy("{'Effect':'Allow','Action':'ecr:*',"
                + "'Resource':'arn:aws:ecr:*:111111111111:repository/home/${aws:username}/*'}"));
        RequestContext own = new RequestContext(Principal.user(OWN, "alice", null), "ecr:PutImage",
                RequestContext.repositoryArn("us-east-1", OWN, "home/alice/tool"), OWN, null, null, null, true,
                Instant.EPOCH);
        RequestContext foreign = new RequestContext(Principal.user(OWN, "alice", null), "ecr:PutImage",
                RequestContext.repositoryArn("us-east-1", OWN, "home/bob/tool"), OWN, null, null, null, true,
                Instant.EPOCH);
        assertThat(PolicyEvaluator.evaluate(own, List.of(idp), Optional.empty(), Optional.empty()).outcome())
                .as("alice pushing to home/alice/tool").isEqualTo(ALLOW);
        assertThat(PolicyEvaluator.evaluate(foreign, List.of(idp), Optional.empty(), Optional.empty()).outcome())
                .as("alice pushing to home/bob/tool").isEqualTo(IMPLICIT_DENY);
    }

    @Test
    void evaluate_actionNamesInAnyCase_matchCaseInsensitively() {
        PolicyDocument p = PolicyParser.repository().parse(policy(
                "{'Effect':'Allow','Principal':'*','Action':'ECR:batchget*'}"));
        RequestContext ctx = context(Principal.ANONYMOUS).withAction("ecr:BATCHGETIMAGE");
        assertThat(PolicyEvaluator.evaluate(ctx, List.of(), Optional.of(p), Optional.empty()).outcome())
                .as("ECR:batchget* against ecr:BATCHGETIMAGE").isEqualTo(ALLOW);
    }

    @Test
    void evaluate_resourceWithoutArnForAccountLevelAction_onlyStarMatches() {
        PolicyDocument scoped = PolicyParser.identity().parse(policy(
                "{'Effect':'Allow','Action':'ecr:*','Resource':'arn:aws:ecr:*:*:repository/*'}"));
        PolicyDocument star = PolicyParser.identity().parse(policy("{'Effect':'Allow','Action':'ecr:*','Resource':'*'}"));
        RequestContext token = new RequestContext(Principal.user(OWN, "alice", null), "ecr:GetAuthorizationToken", "*",
                OWN, null, null, null, true, Instant.EPOCH);
        assertThat(PolicyEvaluator.evaluate(token, List.of(scoped), Optional.empty(), Optional.empty()).outcome())
                .as("repository-scoped Resource for GetAuthorizationToken").isEqualTo(IMPLICIT_DENY);
        assertThat(PolicyEvaluator.evaluate(token, List.of(star), Optional.empty(), Optional.empty()).outcome())
                .as("Resource * for GetAuthorizationToken").isEqualTo(ALLOW);
    }

    @Test
    void evaluate_tenStatementPolicyMillionTimes_printsNanosPerOp() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            sb.append("{'Sid':'S").append(i).append("','Effect':'Allow','Principal':{'AWS':'33333333333").append(i)
                    .append("'},'Action':['ecr:Describe*','ecr:List*'],'Condition':{'StringLike':"
                            + "{'ecr:ResourceTag/team':'t").append(i).append("*'}}},");
        }
        sb.append("{'Sid':'Pull','Effect':'Allow','Principal':'*','Action':['ecr:BatchGetImage',"
                + "'ecr:GetDownloadUrlForLayer'],'Condition':{'IpAddress':{'aws:SourceIp':'10.0.0.0/8'},"
                + "'StringEquals':{'ecr:ResourceTag/team':'blue'}}}");
        PolicyDocument p = PolicyParser.repository().parse(policy(sb.toString()));
        RequestContext ctx = context(Principal.user(OTHER, "bob", "AK3"));
        List<PolicyDocument> identity = List.of(IDENTITY_PULL);
        Optional<PolicyDocument> repo = Optional.of(p);
        int allowed = 0;
        for (int i = 0; i < 200_000; i++) { // warm-up
            allowed += PolicyEvaluator.evaluate(ctx, identity, repo, Optional.empty()).allowed() ? 1 : 0;
        }
        int n = 1_000_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            allowed += PolicyEvaluator.evaluate(ctx, identity, repo, Optional.empty()).allowed() ? 1 : 0;
        }
        long elapsed = System.nanoTime() - start;
        System.out.printf("PolicyEvaluator: %d evaluations of a 10-statement policy, %.1f ns/op%n", n,
                (double) elapsed / n);
        assertThat(allowed).as("every evaluation of bob's cross-account pull is allowed").isEqualTo(n + 200_000);
    }
}
