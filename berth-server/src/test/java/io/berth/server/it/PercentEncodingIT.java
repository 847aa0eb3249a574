package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.spi.meta.AuditEvent;
import io.berth.core.spi.meta.AuditQuery;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue #7 item 9: percent-encoding that is not UTF-8 in a query ({@code %FF}, the overlong {@code %C0}) answered
 * 500 with a stack trace and left no audit record. It is the client's mistake: 400, recorded like other refusals.
 */
class PercentEncodingIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static final String DIGEST = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    @ParameterizedTest(name = "{0} -> 400 {2}, audited as {1}")
    @CsvSource({
            "GET /v2/_catalog?last=%FF, DescribeRepositories",
            "GET /v2/_catalog?n=%C0, DescribeRepositories",
            "POST /v2/enc/app/blobs/uploads/?mount=%FF&from=enc/other, InitiateLayerUpload",
            "GET /v2/enc/app/referrers/" + DIGEST + "?artifactType=%FF, ListImageReferrers"})
    void malformedQuery_invalidParameter400_andAudited(String request, String eventName) throws Exception {
        server.pushBlob("enc/app", new byte[] {9}); // the repository exists, so only the query can be wrong
        String[] parts = request.split(" ", 2);
        HttpResponse<byte[]> r = server.send(parts[0], parts[1], null);
        assertThat(r.statusCode()).as("%s: %s", request, TestServer.describe(r)).isEqualTo(400);
        assertThat(TestServer.text(r)).as("OCI code of INVALID_PARAMETER").contains("\"UNSUPPORTED\"")
                .contains("not valid percent-encoded UTF-8");
        String requestId = r.headers().firstValue("x-amzn-RequestId").orElseThrow();
        List<AuditEvent> events = List.of();
        for (int i = 0; i < 100 && events.isEmpty(); i++) {
            Thread.sleep(50);
            events = server.app().stores().metadata().read(tx -> tx.audit().query(new AuditQuery(null, null,
                    null, null, eventName, 100, null))).events().stream()
                    .filter(e -> requestId.equals(e.requestId())).toList();
        }
        assertThat(events).as("audit event of %s (request %s)", request, requestId).singleElement()
                .satisfies(e -> assertThat(e.errorCode()).isEqualTo("UNSUPPORTED"));
    }

    @Test
    void layerDownload_malformedSig_400NotServerError() throws Exception {
        HttpResponse<byte[]> r = server.send(server.anonymous("/layers/" + TestServer.ACCOUNT + "/enc/app/" + DIGEST
                + "?expires=1&sig=%FF").GET());
        assertThat(r.statusCode()).as("GET /layers/...?sig=%%FF: %s", TestServer.describe(r)).isEqualTo(400);
        assertThat(TestServer.text(r)).contains("not valid percent-encoded UTF-8");
    }

    @Test
    void malformedPercentEncodingInPath_400NotServerError() throws Exception {
        for (String path : List.of("/v2/enc%FF/app/manifests/v1", "/v2/enc/app/manifests/v%C0",
                "/v2/enc/app/blobs/sha256:%FF")) {
            HttpResponse<byte[]> r = server.get(path);
            assertThat(r.statusCode()).as("GET %s: %s", path, TestServer.describe(r)).isEqualTo(400);
        }
        // a truncated escape is not even a URI for java.net.http: sent raw
        for (String path : List.of("/v2/enc%2/app/tags/list", "/v2/_catalog?last=%2")) {
            String answer = server.rawGet("127.0.0.1:" + server.port(), path, server.basicAuth());
            assertThat(answer).as("raw GET %s", path).startsWith("HTTP/1.1 400");
        }
    }
}
