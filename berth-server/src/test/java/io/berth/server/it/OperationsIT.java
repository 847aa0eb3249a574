package io.berth.server.it;

import static io.berth.server.it.TestServer.describe;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OperationsIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    @Test
    void baseEndpoint() throws Exception {
        HttpResponse<byte[]> r = server.get("/v2/");
        assertThat(r.statusCode()).as("GET /v2/: %s", describe(r)).isEqualTo(200);
        assertThat(TestServer.text(r)).isEqualTo("{}");
        assertThat(r.headers().firstValue("Docker-Distribution-API-Version")).contains("registry/2.0");
    }

    @Test
    void healthAndReadiness() throws Exception {
        HttpResponse<byte[]> h = server.get("/healthz");
        assertThat(h.statusCode()).as("healthz: %s", describe(h)).isEqualTo(200);
        HttpResponse<byte[]> r = server.get("/readyz");
        assertThat(r.statusCode()).as("readyz with healthy stores: %s", describe(r)).isEqualTo(200);
    }

    @Test
    void unknownTopLevelPathIs404() throws Exception {
        HttpResponse<byte[]> r = server.get("/nothing-here");
        assertThat(r.statusCode()).as("unknown path: %s", describe(r)).isEqualTo(404);
        // POST / is the ECR API now: an unsigned call is refused before anything else, as AWS does
        HttpResponse<byte[]> ecr = server.send(server.anonymous("/")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(ecr.statusCode()).as("unsigned POST / without X-Amz-Target: %s", describe(ecr)).isEqualTo(403);
        assertThat(ecr.headers().firstValue("X-Amzn-Errortype")).hasValue("MissingAuthenticationTokenException");
    }
}
