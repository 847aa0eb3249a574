package io.berth.core.policy;

import static io.berth.core.policy.PolicyTexts.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.auth.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Condition semantics from the IAM "Condition operators" and "Multivalued context keys" pages, evaluated as
 * public pulls (Principal *) so only the condition decides. The context: alice of 111111111111 from 10.1.2.3 over
 * TLS at 2025-06-01T12:00:00Z, repository tag team=blue, request tags env=prod and team=blue.
 */
class ConditionTest {

    static Stream<Arguments> conditions() {
        return Stream.of(
                // condition block (single-quoted JSON), version, expected match
                Arguments.of("'StringEquals':{'aws:username':'alice'}", "2012-10-17", true),
                Arguments.of("'StringEquals':{'AWS:UserName':['bob','alice']}", "2012-10-17", true),
                Arguments.of("'StringEquals':{'aws:username':'ALICE'}", "2012-10-17", false),
                Arguments.of("'StringEqualsIgnoreCase':{'aws:username':'ALICE'}", "2012-10-17", true),
                Arguments.of("'StringNotEquals':{'aws:username':['bob','alice']}", "2012-10-17", false),
                Arguments.of("'StringLike':{'aws:PrincipalArn':'arn:aws:iam::*:user/a?ice'}", "2012-10-17", true),
                Arguments.of("'StringLike':{'aws:username':'${*}'}", "2012-10-17", false),
                Arguments.of("'StringEquals':{'ecr:ResourceTag/team':'${aws:RequestTag/team}'}", "2012-10-17", true),
                Arguments.of("'StringEquals':{'aws:username':'${aws:username}'}", "2008-10-17", false),
                Arguments.of("'StringEquals':{'ecr:ResourceTag/owner':'x'}", "2012-10-17", false),
                Arguments.of("'StringNotEquals':{'ecr:ResourceTag/owner':'x'}", "2012-10-17", true),
                Arguments.of("'StringEqualsIfExists':{'ecr:ResourceTag/owner':'x'}", "2012-10-17", true),
                Arguments.of("'StringEqualsIfExists':{'ecr:ResourceTag/team':'red'}", "2012-10-17", false),
                Arguments.of("'Null':{'ecr:ResourceTag/owner':'true'}", "2012-10-17", true),
                Arguments.of("'Null':{'aws:ResourceTag/team':true}", "2012-10-17", false),
                Arguments.of("'ForAllValues:StringEquals':{'aws:TagKeys':['env','team']}", "2012-10-17", true),
                Arguments.of("'ForAllValues:StringEquals':{'aws:TagKeys':['env']}", "2012-10-17", false),
                Arguments.of("'ForAnyValue:StringEquals':{'aws:TagKeys':['env','cost']}", "2012-10-17", true),
                Arguments.of("'ForAnyValue:StringEquals':{'aws:TagKeys':'cost'}", "2012-10-17", false),
                Arguments.of("'ForAllValues:StringNotLike':{'aws:TagKeys':'secret*'}", "2012-10-17", true),
                Arguments.of("'ArnLike':{'aws:PrincipalArn':'arn:aws:iam::111111111111:user/*'}", "2012-10-17", true),
                Arguments.of("'ArnNotEquals':{'aws:PrincipalArn':'arn:aws:iam::*:root'}", "2012-10-17", true),
                Arguments.of("'IpAddress':{'aws:SourceIp':['192.168.0.0/16','10.1.0.0/16']}", "2012-10-17", true),
                Arguments.of("'IpAddress':{'aws:SourceIp':'10.1.2.3'}", "2012-10-17", true),
                Arguments.of("'IpAddress':{'aws:SourceIp':'2001:db8::/32'}", "2012-10-17", false),
                Arguments.of("'IpAddress':{'aws:SourceIp':'::ffff:10.0.0.0/104'}", "2012-10-17", true),
                Arguments.of("'NotIpAddress':{'aws:SourceIp':'10.0.0.0/8'}", "2012-10-17", false),
                Arguments.of("'Bool':{'aws:SecureTransport':'TRUE'}", "2012-10-17", true),
                Arguments.of("'DateGreaterThan':{'aws:CurrentTime':'2025-06-01'}", "2012-10-17", true),
                Arguments.of("'DateLessThan':{'aws:CurrentTime':'2025-06-01T13:00:00+02:00'}", "2012-10-17", false),
                Arguments.of("'DateEquals':{'aws:EpochTime':1748779200}", "2012-10-17", true),
                Arguments.of("'NumericLessThanEquals':{'aws:EpochTime':'1748779200'}", "2012-10-17", true),
                Arguments.of("'NumericGreaterThan':{'aws:EpochTime':1748779200.5}", "2012-10-17", false),
                Arguments.of("'NumericNotEquals':{'aws:EpochTime':[1,2]}", "2012-10-17", true),
                Arguments.of("'StringEquals':{'aws:PrincipalType':'User'},'StringLike':{'aws:userid':'bob'}",
                        "2012-10-17", false));
    }

    @ParameterizedTest(name = "[{index}] {0} ({1}) -> {2}")
    @MethodSource("conditions")
    void evaluate_condition_matchesAsAwsDocuments(String condition, String version, boolean expected) {
        PolicyDocument p = PolicyParser.repository().parse(json("{'Version':'" + version + "','Statement':{"
                + "'Effect':'Allow','Principal':'*','Action':'ecr:BatchGetImage','Condition':{" + condition + "}}}"));
        RequestContext ctx = new RequestContext(Principal.user(PolicyEvaluatorTest.OWN, "alice", null),
                "ecr:BatchGetImage", PolicyEvaluatorTest.REPO_ARN, PolicyEvaluatorTest.OTHER, Map.of("team", "blue"),
                Map.of("env", "prod", "team", "blue"), PolicyEvaluatorTest.address("10.1.2.3"), true,
                Instant.parse("2025-06-01T12:00:00Z"));
        // The resource belongs to another account and alice has an identity allow, so the outcome is the condition.
        PolicyDocument identity = PolicyParser.identity().parse(json(
                "{'Statement':{'Effect':'Allow','Action':'ecr:*','Resource':'*'}}"));
        Decision d = PolicyEvaluator.evaluate(ctx, List.of(identity), Optional.of(p), Optional.empty());
        assertThat(d.allowed()).as("condition %s in a %s document", condition, version).isEqualTo(expected);
    }
}
