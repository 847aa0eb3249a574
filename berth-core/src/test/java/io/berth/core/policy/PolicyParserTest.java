package io.berth.core.policy;

import static io.berth.core.policy.PolicyTexts.REPO_PREFIX;
import static io.berth.core.policy.PolicyTexts.doc;
import static io.berth.core.policy.PolicyTexts.json;
import static io.berth.core.policy.PolicyTexts.pullStatement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyParserTest {
    private static final String P = "'Sid':'S','Effect':'Allow','Principal':'*',";

    private static PolicyDocument repo(String text) {
        return PolicyParser.repository().parse(text);
    }

    private static void assertRefused(PolicyParser parser, String text, String expectedMessage) {
        assertThatThrownBy(() -> parser.parse(text)).as("parsing %s", text)
                .isInstanceOf(RegistryException.class)
                .hasMessage(expectedMessage)
                .extracting(e -> ((RegistryException) e).code()).isEqualTo(ErrorCode.INVALID_PARAMETER);
    }

    @Test
    void parse_minimalRepositoryPolicy_compilesOneStatement() {
        PolicyDocument d = repo(doc(pullStatement("")));
        assertThat(d.statementCount()).as("statements of a one-statement document").isEqualTo(1);
        assertThat(d.version()).as("version written as 2012-10-17").isEqualTo("2012-10-17");
        assertThat(d.kind()).as("kind of a repository parser's document").isEqualTo(PolicyKind.REPOSITORY);
        assertThat(d.id()).as("Id when absent").isEmpty();
    }

    @Test
    void parse_statementAsObjectWithoutVersion_defaultsTo2008() {
        PolicyDocument d = repo(json("{'Id':'x','Statement':{" + pullStatement("") + "}}"));
        assertThat(d.version()).as("IAM's default Version when the element is missing").isEqualTo("2008-10-17");
        assertThat(d.id()).as("Id as written").contains("x");
        assertThat(d.text()).as("text is kept verbatim").contains("'Id'".replace('\'', '"'));
    }

    @Test
    void parse_duplicateSidsInRepositoryPolicy_accepted() {
        String text = json("{'Version':'2008-10-17','Statement':[{" + pullStatement("") + "},{"
                + pullStatement("") + "}]}");
        assertThat(repo(text).statementCount()).as("ECR accepts duplicate Sids (ecr-semantics §2.6)").isEqualTo(2);
    }

    @Test
    void parse_everyPrincipalForm_accepted() {
        String principals = "'Principal':{'AWS':['*','123456789012','arn:aws:iam::123456789012:root',"
                + "'arn:aws:iam::123456789012:user/alice','arn:aws:iam::123456789012:user/dev/team/bob'],"
                + "'Service':'replication.ecr.amazonaws.com'}";
        PolicyDocument d = repo(doc("'Effect':'Deny'," + principals + ",'Action':['ecr:*','ecr:Batch*','*']"));
        assertThat(d.statementCount()).as("statement with every principal form").isEqualTo(1);
        assertThat(repo(doc("'Effect':'Allow','NotPrincipal':{'AWS':'123456789012'},'NotAction':'ecr:PutImage',"
                + "'NotResource':'arn:aws:ecr:*:*:repository/secret-*'")).statementCount())
                .as("NotPrincipal, NotAction and NotResource").isEqualTo(1);
    }

    @Test
    void parse_everyConditionFamily_accepted() {
        String cond = "'Condition':{"
                + "'StringEquals':{'aws:PrincipalAccount':'123456789012','aws:PrincipalType':['User','Account']},"
                + "'StringNotEqualsIgnoreCase':{'aws:username':'Mallory'},"
                + "'StringLikeIfExists':{'ecr:ResourceTag/team':'blue-*'},"
                + "'ForAllValues:StringLike':{'aws:TagKeys':['team','env']},"
                + "'ForAnyValue:StringEquals':{'aws:TagKeys':'env'},"
                + "'ArnLike':{'aws:PrincipalArn':'arn:aws:iam::*:user/*'},"
                + "'IpAddress':{'aws:SourceIp':['10.0.0.0/8','2001:db8::/32','192.168.1.1']},"
                + "'Bool':{'aws:SecureTransport':true},"
                + "'DateGreaterThan':{'aws:CurrentTime':['2020-01-01T00:00:00Z','2020-01-01',1577836800]},"
                + "'NumericLessThan':{'aws:EpochTime':'4102444800'},"
                + "'Null':{'aws:RequestTag/env':'false'},"
                + "'stringequals':{'AWS:USERID':'x'}}";
        assertThat(repo(doc(pullStatement("," + cond))).statementCount())
                .as("a statement using every supported family").isEqualTo(1);
    }

    @Test
    void parse_registryAndIdentityKinds_useTheirWordAndField() {
        assertRefused(PolicyParser.registry(), "[]", "Invalid parameter at 'PolicyText' failed to satisfy constraint:"
                + " 'Invalid registry policy provided': the policy must be a JSON object");
        assertRefused(new PolicyParser(PolicyKind.IDENTITY, "policyDocument", 100), "[]",
                "Invalid parameter at 'policyDocument' failed to satisfy constraint: 'Invalid identity policy"
                        + " provided': the policy must be a JSON object");
    }

    @Test
    void parse_identityPolicyWithResource_accepted() {
        PolicyDocument d = PolicyParser.identity().parse(doc(
                "'Sid':'Pull1','Effect':'Allow','Action':'ecr:BatchGetImage','Resource':'*'"));
        assertThat(d.kind()).as("kind of an identity document").isEqualTo(PolicyKind.IDENTITY);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("", "the policy text is empty"),
                Arguments.of("[1]", "the policy must be a JSON object"),
                Arguments.of(json("{'Version':'2012-10-17','Statement':[{" + pullStatement("") + "}],'Foo':1}"),
                        "unknown top-level element 'Foo'"),
                Arguments.of(json("{'Version':'2010-01-01','Statement':{" + pullStatement("") + "}}"),
                        "Version must be \"2012-10-17\" or \"2008-10-17\", not \"2010-01-01\""),
                Arguments.of(json("{'Id':5,'Statement':{" + pullStatement("") + "}}"),
                        "Id in the document must be a string"),
                Arguments.of(json("{'Version':'2012-10-17'}"), "the policy has no Statement"),
                Arguments.of(json("{'Statement':[]}"), "Statement must not be empty"),
                Arguments.of(json("{'Statement':['x']}"), "statement #1 must be a JSON object"),
                Arguments.of(doc("'Sid':7"), "Sid in statement #1 must be a string"),
                Arguments.of(doc("'Sid':'S','Principal':'*','Action':'ecr:*'"), "statement 'S' has no Effect"),
                Arguments.of(doc("'Sid':'S','Effect':'allow','Principal':'*','Action':'ecr:*'"),
                        "Effect in statement 'S' must be \"Allow\" or \"Deny\", not \"allow\""),
                Arguments.of(doc(pullStatement(",'Actions':'ecr:*'")), "unknown element 'Actions' in statement 'S'"),
                Arguments.of(doc("'Sid':'S','Effect':'Allow','Action':'ecr:*'"),
                        "statement 'S' has neither Principal nor NotPrincipal"),
                Arguments.of(doc(pullStatement(",'NotPrincipal':'*'")),
                        "statement 'S' has both Principal and NotPrincipal"),
                Arguments.of(doc(P + "'Resource':'*'"), "statement 'S' has neither Action nor NotAction"),
                Arguments.of(doc(pullStatement(",'NotAction':'ecr:PutImage'")),
                        "statement 'S' has both Action and NotAction"),
                Arguments.of(doc(P + "'Action':'s3:GetObject'"), "'s3:GetObject' in Action of statement 'S' is not"
                        + " an ecr: action; a repository policy can only grant or deny ECR actions"),
                Arguments.of(doc(P + "'Action':'ecr'"),
                        "'ecr' in Action of statement 'S' is not an action of the form service:Name"),
                Arguments.of(doc(P + "'Action':[]"),
                        "Action in statement 'S' must be a string or a non-empty array of strings"),
                Arguments.of(doc(P + "'Action':['ecr:*',5]"), "Action in statement 'S' must be a string"),
                Arguments.of(doc("'Sid':'S','Effect':'Allow','Principal':'bob','Action':'ecr:*'"),
                        "Principal in statement 'S' must be \"*\" or an object such as {\"AWS\": \"123456789012\"}"),
                Arguments.of(doc("'Sid':'S','Effect':'Allow','Principal':{},'Action':'ecr:*'"),
                        "Principal in statement 'S' must be \"*\" or a non-empty object"),
                Arguments.of(doc("'Sid':'S','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::123456789012:user/*'},"
                        + "'Action':'ecr:*'"), "invalid principal 'arn:aws:iam::123456789012:user/*' in Principal of"
                        + " statement 'S'; use \"*\", an account ID, arn:aws:iam::<account>:root or"
                        + " arn:aws:iam::<account>:user/<name> (wildcards are not allowed in principal ARNs)"),
                Arguments.of(doc("'Sid':'S','Effect':'Allow','Principal':{'Federated':'x'},'Action':'ecr:*'"),
                        "principal type 'Federated' in statement 'S' is not supported; Berth knows AWS and Service"
                                + " principals"),
                Arguments.of(doc("'Sid':'S','Effect':'Allow','Principal':{'Service':'not a service'},'Action':'ecr:*'"),
                        "'not a service' in Principal of statement 'S' is not a service principal such as"
                                + " replication.ecr.amazonaws.com"),
                Arguments.of(doc(pullStatement(",'Resource':'repository/x'")), "'repository/x' in Resource of"
                        + " statement 'S' must be '*' or an ARN of the form arn:partition:service:region:account:resource"),
                Arguments.of(doc(pullStatement(",'Resource':'arn:aws:ecr:*:*:repository/${aws:foo}'")),
                        "unknown policy variable '${aws:foo}' in Resource of statement 'S'"),
                Arguments.of(doc(pullStatement(",'Resource':'arn:aws:ecr:*:*:repository/${aws:username'")),
                        "unterminated policy variable in Resource of statement 'S'"),
                Arguments.of(doc(pullStatement(",'Condition':{}")), "Condition in statement 'S' must be a non-empty object"),
                Arguments.of(doc(pullStatement(",'Condition':{'StringEquals':[]}")), "condition operator"
                        + " 'StringEquals' in statement 'S' must map to a non-empty object of condition keys"),
                Arguments.of(doc(pullStatement(",'Condition':{'StringEqualz':{'aws:username':'a'}}")),
                        "unknown condition operator 'StringEqualz' in statement 'S'"),
                Arguments.of(doc(pullStatement(",'Condition':{'ForSomeValues:StringEquals':{'aws:TagKeys':'a'}}")),
                        "unknown condition operator 'ForSomeValues:StringEquals' in statement 'S'"),
                Arguments.of(doc(pullStatement(",'Condition':{'NullIfExists':{'aws:username':'true'}}")),
                        "unknown condition operator 'NullIfExists' in statement 'S'"),
                Arguments.of(doc(pullStatement(",'Condition':{'BinaryEquals':{'aws:username':'YQ=='}}")),
                        "unknown condition operator 'BinaryEquals' in statement 'S'"),
                Arguments.of(doc(pullStatement(",'Condition':{'StringEquals':{'aws:PrincipalOrgID':'o-1'}}")),
                        "unknown condition key 'aws:PrincipalOrgID' in statement 'S'"),
                Arguments.of(doc(pullStatement(",'Condition':{'IpAddress':{'aws:username':'10.0.0.0/8'}}")),
                        "condition operator 'IpAddress' cannot test key 'aws:username' in statement 'S'"),
                Arguments.of(doc(pullStatement(",'Condition':{'IpAddress':{'aws:SourceIp':'example.com'}}")),
                        "'IpAddress' needs an IPv4 or IPv6 address or CIDR block, not 'example.com' for key"
                                + " 'aws:SourceIp' in statement 'S'"),
                Arguments.of(doc(pullStatement(",'Condition':{'NotIpAddress':{'aws:SourceIp':'10.0.0.0/33'}}")),
                        "'NotIpAddress' needs an IPv4 or IPv6 address or CIDR block, not '10.0.0.0/33' for key"
                                + " 'aws:SourceIp' in statement 'S'"),
                Arguments.of(doc(pullStatement(",'Condition':{'DateLessThan':{'aws:CurrentTime':'yesterday'}}")),
                        "'DateLessThan' needs an ISO 8601 date or epoch seconds, not 'yesterday' for key"
                                + " 'aws:CurrentTime' in statement 'S'"),
                // found by Jazzer: an empty date string once escaped as StringIndexOutOfBoundsException
                Arguments.of(doc(pullStatement(",'Condition':{'DateLessThan':{'aws:CurrentTime':''}}")),
                        "'DateLessThan' needs an ISO 8601 date or epoch seconds, not '' for key"
                                + " 'aws:CurrentTime' in statement 'S'"),
                Arguments.of(doc(pullStatement(",'Condition':{'NumericLessThan':{'aws:EpochTime':'ten'}}")),
                        "'NumericLessThan' needs a number, not 'ten' for key 'aws:EpochTime' in statement 'S'"),
                Arguments.of(doc(pullStatement(",'Condition':{'Bool':{'aws:SecureTransport':'yes'}}")),
                        "'Bool' needs true or false, not 'yes' for key 'aws:SecureTransport' in statement 'S'"),
                Arguments.of(doc(pullStatement(",'Condition':{'StringEquals':{'aws:username':null}}")),
                        "condition key 'aws:username' in statement 'S' has a value that is not a string, number or"
                                + " boolean"),
                Arguments.of(doc(pullStatement(",'Condition':{'StringEquals':{'aws:username':[]}}")),
                        "condition key 'aws:username' in statement 'S' has an empty value list"),
                Arguments.of(doc(pullStatement(",'Condition':{'ArnLike':{'aws:PrincipalArn':'alice'}}")),
                        "'alice' in condition key 'aws:PrincipalArn' in statement 'S' must be '*' or an ARN of the"
                                + " form arn:partition:service:region:account:resource"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("refusals")
    void parse_malformedRepositoryPolicy_refusedWithExactMessage(String text, String reason) {
        assertRefused(PolicyParser.repository(), text, REPO_PREFIX + reason);
    }

    @Test
    void parse_tooLong_refusedWithLengths() {
        String text = doc(pullStatement(",'Condition':{'StringEquals':{'aws:username':'" + "a".repeat(10_240) + "'}}"));
        assertRefused(PolicyParser.repository(), text,
                REPO_PREFIX + "the policy text is " + text.length() + " characters; the limit is 10240");
    }

    @Test
    void parse_invalidJsonDuplicateKeysAndDeepNesting_refusedAsInvalidJson() {
        for (String text : new String[] {"{", json("{'Statement':{'Effect':'Allow','Effect':'Deny'}}"),
                "[".repeat(5_000), json("{'Statement':{" + pullStatement("") + "}} trailing")}) {
            assertThatThrownBy(() -> repo(text)).as("parsing %.40s", text)
                    .isInstanceOf(RegistryException.class)
                    .hasMessageStartingWith(REPO_PREFIX + "the policy text is not valid JSON: ");
        }
    }

    @Test
    void parse_identityPolicyRules_enforced() {
        PolicyParser identity = PolicyParser.identity();
        String prefix = "Invalid parameter at 'PolicyDocument' failed to satisfy constraint: 'Invalid identity policy"
                + " provided': ";
        assertRefused(identity, doc("'Sid':'S','Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*'"),
                prefix + "Principal in statement 'S' is not allowed in an identity policy");
        assertRefused(identity, doc("'Sid':'S','Effect':'Allow','Action':'ecr:*'"),
                prefix + "statement 'S' has neither Resource nor NotResource");
        assertRefused(identity, json("{'Version':'2012-10-17','Statement':[{'Sid':'S','Effect':'Allow','Action':"
                        + "'ecr:*','Resource':'*'},{'Sid':'S','Effect':'Deny','Action':'ecr:*','Resource':'*'}]}"),
                prefix + "Sid 'S' is used by more than one statement; IAM requires unique Sids in identity policies");
        assertRefused(identity, doc("'Sid':'a b','Effect':'Allow','Action':'ecr:*','Resource':'*'"),
                prefix + "Sid 'a b' may only contain ASCII letters and digits in an identity policy");
    }
}
