package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.server.auth.RawSigV4;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The wire of each protocol adapter on the AWS plane's one core, where no SDK test reaches: errors of the Query and
 * JSON protocols in the service's own names, the request ID in header and body, and the signing name each service's
 * table expects.
 */
class AwsPlaneIT {
    private static final String STS_JSON = "AWSSecurityTokenServiceV20110615.";
    private static final List<String> FORM_SIGNED = List.of("content-type", "host", "x-amz-date");

    @RegisterExtension
    static final TestServer SERVER = new TestServer();

    @Test
    void stsQuery_unknownAction_isInvalidActionXml_withTheRequestIdOfTheHeader() throws Exception {
        byte[] body = "Action=AssumeRole&Version=2011-06-15".getBytes(StandardCharsets.UTF_8);
        AwsRaw.Response r = send(form(body, "sts"), body);
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.header("content-type")).startsWith("text/xml");
        assertThat(r.body()).contains("<Type>Sender</Type>", "<Code>InvalidAction</Code>",
                "<Message>Could not find operation AssumeRole for version 2011-06-15</Message>",
                "<RequestId>" + r.header("x-amzn-RequestId") + "</RequestId>");
    }

    @Test
    void stsQuery_unsigned_isMissingAuthenticationToken403() throws Exception {
        byte[] body = "Action=GetCallerIdentity&Version=2011-06-15".getBytes(StandardCharsets.UTF_8);
        Map<String, String> h = form(body, "sts");
        h.remove("authorization");
        AwsRaw.Response r = send(h, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(403);
        assertThat(r.body()).contains("<Code>MissingAuthenticationToken</Code>");
    }

    @Test
    void stsQuery_getCallerIdentity_answersXmlInStsOrder() throws Exception {
        byte[] body = "Action=GetCallerIdentity&Version=2011-06-15".getBytes(StandardCharsets.UTF_8);
        AwsRaw.Response r = send(form(body, "sts"), body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body())
                .startsWith("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">")
                .containsSubsequence("<Arn>", "<UserId>", "<Account>" + TestServer.ACCOUNT + "</Account>",
                        "<RequestId>" + r.header("x-amzn-RequestId") + "</RequestId>");
    }

    @Test
    void stsJson_unknownAction_isUnsupportedCommandException_inJson10() throws Exception {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        AwsRaw.Response r = send(json(STS_JSON + "AssumeRole", "application/x-amz-json-1.0", body, "sts"), body);
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.header("content-type")).isEqualTo("application/x-amz-json-1.0");
        assertThat(r.header("x-amzn-errortype")).isEqualTo("UnsupportedCommandException");
        assertThat(r.body()).isEqualTo("{\"__type\":\"UnsupportedCommandException\",\"message\":\"Could not find "
                + "operation AssumeRole for version 2011-06-15\"}");
    }

    @Test
    void ecr_signedForAnotherService_isRefused_asItsTableSaysEcr() throws Exception {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        AwsRaw.Response asSts = send(json(AwsRaw.ECR + "DescribeRepositories", "application/x-amz-json-1.1", body,
                "sts"), body);
        assertThat(asSts.status()).as(asSts.toString()).isEqualTo(400);
        assertThat(asSts.header("x-amzn-errortype")).isEqualTo("InvalidSignatureException");
        AwsRaw.Response asEcr = send(json(AwsRaw.ECR + "DescribeRepositories", "application/x-amz-json-1.1", body,
                "ecr"), body);
        assertThat(asEcr.status()).as(asEcr.toString()).isEqualTo(200);
    }

    private static AwsRaw.Response send(Map<String, String> headers, byte[] body) throws Exception {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("content-length", String.valueOf(body.length));
        return AwsRaw.exchange(SERVER.port(), AwsRaw.head(h), body, body.length);
    }

    private static Map<String, String> form(byte[] body, String service) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("host", "127.0.0.1:" + SERVER.port());
        h.put("content-type", "application/x-www-form-urlencoded; charset=utf-8");
        h.put("x-amz-date", RawSigV4.amzDate(Instant.now()));
        h.put("authorization", RawSigV4.authorization(h, FORM_SIGNED, body, TestServer.ROOT_KEY_ID,
                TestServer.ROOT_SECRET, "us-east-1", service));
        return h;
    }

    private static Map<String, String> json(String target, String contentType, byte[] body, String service) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("host", "127.0.0.1:" + SERVER.port());
        h.put("content-type", contentType);
        h.put("x-amz-date", RawSigV4.amzDate(Instant.now()));
        h.put("x-amz-target", target);
        h.put("authorization", RawSigV4.authorization(h, AwsRaw.ALL_SIGNED, body, TestServer.ROOT_KEY_ID,
                TestServer.ROOT_SECRET, "us-east-1", service));
        return h;
    }
}
