package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
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
    static void client() { ecr = Ecr.client(SERVER); }

    @AfterAll
    static void close() { ecr.close(); }

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
        HttpResponse<byte[]> r = call("AmazonEC2ContainerRegistry_V20150921.CreateRepository", big);
        assertAwsError(r, 413, "RequestEntityTooLargeException");
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
