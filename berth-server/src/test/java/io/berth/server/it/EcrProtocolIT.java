package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;

/** The AWS JSON 1.1 protocol over raw HTTP: targets, content, errors, limits; never partial state. */
class EcrProtocolIT {
    /**
     * Protocol handling (framing, targets, JSON errors, limits) is tested on its own, without signing each raw
     * request: authentication, which runs first on a real server, has its own tests (RegistryAuthIT, StsAndAdminIT).
     */
    @RegisterExtension
    static final TestServer SERVER = new TestServer().insecureNoAuth();
    static EcrClient ecr;

    @BeforeAll
    static void client() { ecr = SERVER.ecr(); }

    static HttpResponse<byte[]> call(String target, byte[] body) throws Exception {
        HttpRequest.Builder b = SERVER.request("/").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/x-amz-json-1.1");
        if (target != null) {
            b.header("X-Amz-Target", target);
        }
        return SERVER.send(b);
    }

    static HttpResponse<byte[]> call(String action, String json) throws Exception {
        return call("AmazonEC2ContainerRegistry_V20150921." + action, json.getBytes(StandardCharsets.UTF_8));
    }

    static void assertAwsError(HttpResponse<byte[]> r, int status, String type) {
        assertThat(r.statusCode()).as(TestServer.describe(r)).isEqualTo(status);
        assertThat(r.headers().firstValue("X-Amzn-Errortype")).hasValue(type);
        assertThat(r.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        assertThat(TestServer.text(r)).startsWith("{\"__type\":\"" + type + "\",\"message\":\"");
    }

    private static boolean exists(String repo) throws Exception {
        return TestServer.text(call("DescribeRepositories", "{}")).contains("\"repositoryName\":\"" + repo + "\"");
    }

    @Test
    void success_jsonWithRequestIdAndEpochSeconds() throws Exception {
        HttpResponse<byte[]> r = call("CreateRepository", "{\"repositoryName\":\"proto/ok\",\"futureField\":1}");
        assertThat(r.statusCode()).as(TestServer.describe(r)).isEqualTo(200);
        assertThat(r.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(TestServer.text(r)).matches(".*\"createdAt\":\\d{10}(\\.\\d+)?[,}].*");
    }

    @Test
    void malformedJson_serializationException_nothingCreated() throws Exception {
        assertAwsError(call("CreateRepository", "{\"repositoryName\":\"proto/bad\""), 400, "SerializationException");
        assertAwsError(call("CreateRepository", "[1,2]"), 400, "SerializationException");
        assertAwsError(call("CreateRepository", "{\"repositoryName\":\"proto/bad\",\"tags\":\"oops\"}"), 400,
                "SerializationException");
        assertAwsError(call("CreateRepository", "{\"repositoryName\":\"proto/bad\"} trailing"), 400,
                "SerializationException");
        assertThat(exists("proto/bad")).isFalse();
    }

    @Test
    void scalarsOfTheWrongJsonType_serializationException_nothingCreated() throws Exception {
        // AWS JSON 1.1 does not coerce: each of these is a SerializationException on ECR
        String[][] bodies = {
                {"DescribeRepositories", "{\"maxResults\":\"5\"}"},
                {"DescribeRepositories", "{\"maxResults\":1.5}"},
                {"DescribeRepositories", "{\"maxResults\":true}"},
                {"CreateRepository", "{\"repositoryName\":123}"},
                {"CreateRepository", "{\"repositoryName\":true}"},
                {"CreateRepository", "{\"repositoryName\":\"proto/coerce\",\"imageScanningConfiguration\":"
                        + "{\"scanOnPush\":\"true\"}}"},
                {"CreateRepository", "{\"repositoryName\":\"proto/coerce\",\"imageScanningConfiguration\":"
                        + "{\"scanOnPush\":1}}"},
                {"UploadLayerPart", "{\"repositoryName\":\"proto/coerce\",\"uploadId\":\"u\",\"partFirstByte\":\"0\","
                        + "\"partLastByte\":0,\"layerPartBlob\":\"AA==\"}"}};
        for (String[] b : bodies) {
            HttpResponse<byte[]> r = call(b[0], b[1]);
            assertAwsError(r, 400, "SerializationException");
        }
        assertThat(exists("proto/coerce")).isFalse();
        // the right types, nulls and absent members still work
        assertThat(call("DescribeRepositories", "{\"maxResults\":5,\"nextToken\":null}").statusCode()).isEqualTo(200);
        assertThat(call("CreateRepository", "{\"repositoryName\":\"proto/coerce\",\"imageScanningConfiguration\":"
                + "{\"scanOnPush\":true},\"tags\":null}").statusCode()).isEqualTo(200);
    }

    @Test
    void resourceArnOfAnotherRegion_invalidParameter() throws Exception {
        call("CreateRepository", "{\"repositoryName\":\"proto/arn\"}");
        String own = "arn:aws:ecr:us-east-1:000000000000:repository/proto/arn";
        assertThat(call("ListTagsForResource", "{\"resourceArn\":\"" + own + "\"}").statusCode())
                .as("this server's region").isEqualTo(200);
        for (String action : new String[] {"ListTagsForResource", "TagResource", "UntagResource"}) {
            HttpResponse<byte[]> r = call(action, "{\"resourceArn\":\"arn:aws:ecr:eu-west-1:000000000000:"
                    + "repository/proto/arn\",\"tags\":[{\"Key\":\"k\",\"Value\":\"v\"}],\"tagKeys\":[\"k\"]}");
            assertAwsError(r, 400, "InvalidParameterException");
            assertThat(TestServer.text(r)).as(action).contains("region 'eu-west-1' is not this registry's region");
        }
    }

    @Test
    void unknownOrMissingTarget_unknownOperationException() throws Exception {
        assertAwsError(call("NoSuchAction", "{}"), 400, "UnknownOperationException");
        assertAwsError(call("SpencerFrontendService.CreateRepository", "{}".getBytes(StandardCharsets.UTF_8)), 400,
                "UnknownOperationException");
        assertAwsError(call(null, "{}".getBytes(StandardCharsets.UTF_8)), 400, "UnknownOperationException");
    }

    @Test
    void missingRequiredField_invalidParameter() throws Exception {
        HttpResponse<byte[]> r = call("CreateRepository", "{}");
        assertAwsError(r, 400, "InvalidParameterException");
        assertThat(TestServer.text(r)).contains("Invalid parameter at 'repositoryName' failed to satisfy constraint:"
                + " 'Member must not be null'");
        assertAwsError(call("PutImage", "{\"repositoryName\":\"proto/x\"}"), 400, "InvalidParameterException");
        assertAwsError(call("DescribeImages", "{\"repositoryName\":\"proto/x\",\"filter\":{\"tagStatus\":\"NOPE\"}}"),
                400, "InvalidParameterException");
    }

    @Test
    void emptyBody_isAnEmptyObject() throws Exception {
        HttpResponse<byte[]> r = call("AmazonEC2ContainerRegistry_V20150921.DescribeRegistry", new byte[0]);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(TestServer.text(r)).contains("\"registryId\":\"000000000000\"");
    }

    @Test
    void oversizedBody_refusedBeforeParsing_nothingCreated() throws Exception {
        byte[] big = new byte[31 * 1024 * 1024];
        byte[] head = "{\"repositoryName\":\"proto/big\",\"pad\":\"".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(head, 0, big, 0, head.length);
        java.util.Arrays.fill(big, head.length, big.length - 2, (byte) 'a');
        big[big.length - 2] = '"';
        big[big.length - 1] = '}';
        // sent raw, reading while writing: the server answers from Content-Length and closes without reading the
        // body, and java.net.http, which reads only after writing all of it, then sometimes saw the reset first
        AwsRaw.Response r = AwsRaw.exchange(SERVER.port(), AwsRaw.head(AwsRaw.with(AwsRaw.unsigned(SERVER.port(),
                "CreateRepository"), "content-length", String.valueOf(big.length))), big, big.length);
        assertThat(r.status()).as("31 MiB CreateRepository: %s", r).isEqualTo(413);
        assertThat(r.header("x-amzn-errortype")).as("error type of %s", r).startsWith("RequestEntityTooLargeException");
        assertThat(exists("proto/big")).isFalse();
    }

    @Test
    void uploadLayerPart_largestPart_accepted() throws Exception {
        ecr.createRepository(b -> b.repositoryName("proto/bigpart"));
        String id = ecr.initiateLayerUpload(b -> b.repositoryName("proto/bigpart")).uploadId();
        byte[] part = new byte[20 * 1024 * 1024];
        var r = ecr.uploadLayerPart(b -> b.repositoryName("proto/bigpart").uploadId(id).partFirstByte(0L)
                .partLastByte((long) part.length - 1)
                .layerPartBlob(software.amazon.awssdk.core.SdkBytes.fromByteArray(part)));
        assertThat(r.lastByteReceived()).isEqualTo(part.length - 1);
    }

    @Test
    void otherMethodsAndPaths_notTheEcrApi() throws Exception {
        assertThat(SERVER.get("/").statusCode()).isEqualTo(404);
        assertThat(SERVER.send("POST", "/other", "{}".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(404);
    }
}
