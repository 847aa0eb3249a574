package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.server.config.RegionsConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.Repository;

/**
 * Issue 12 §1: one deployment serving two regions. Each account in each region is its own registry (the same name
 * is two repositories), the ECR API picks the region from the SigV4 scope, {@code /v2} from the host
 * ({@code registry.region-hosts} maps {@code localhost} to eu-west-1 here, 127.0.0.1 is the default us-east-1),
 * ARNs and repositoryUri (from {@code registry.host-template}) name the region, and a registry token only works
 * in the region it was issued for.
 */
class RegionsIT {
    @RegisterExtension
    static final TestServer server = new TestServer()
            .with(RegionsConfig.REGIONS, "us-east-1,eu-west-1")
            .with(RegionsConfig.REGION_HOSTS, "localhost=eu-west-1")
            .with(RegionsConfig.HOST_TEMPLATE, "{account}.dkr.ecr.{region}.registry.example.test");

    static EcrClient ecr(Region region) {
        return EcrClient.builder().endpointOverride(server.uri("/")).region(region)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        TestServer.ROOT_KEY_ID, TestServer.ROOT_SECRET)))
                .build();
    }

    @Test
    void sameName_isOneRepositoryPerRegion_withTheRegionsArnAndUri() {
        try (EcrClient east = ecr(Region.US_EAST_1); EcrClient west = ecr(Region.EU_WEST_1)) {
            Repository w = west.createRepository(b -> b.repositoryName("shared/app")).repository();
            assertThat(w.repositoryArn()).isEqualTo("arn:aws:ecr:eu-west-1:000000000000:repository/shared/app");
            assertThat(w.repositoryUri()).isEqualTo(
                    "000000000000.dkr.ecr.eu-west-1.registry.example.test/shared/app");
            assertThat(east.describeRepositories(b -> {}).repositories()).as("us-east-1 before its own create")
                    .extracting(Repository::repositoryName).doesNotContain("shared/app");
            Repository e = east.createRepository(b -> b.repositoryName("shared/app")).repository();
            assertThat(e.repositoryArn()).isEqualTo("arn:aws:ecr:us-east-1:000000000000:repository/shared/app");
            west.deleteRepository(b -> b.repositoryName("shared/app"));
            assertThat(east.describeRepositories(b -> b.repositoryNames("shared/app")).repositories())
                    .as("deleting eu-west-1's repository leaves us-east-1's").hasSize(1);
            assertThat(Ecr.errorOf(() -> west.describeRepositories(b -> b.repositoryNames("shared/app"))))
                    .startsWith("RepositoryNotFoundException");
            assertThat(west.getAuthorizationToken().authorizationData().get(0).proxyEndpoint())
                    .isEqualTo("http://000000000000.dkr.ecr.eu-west-1.registry.example.test");
        }
    }

    @Test
    void unservedRegion_refusedAsBefore() {
        try (EcrClient tokyo = ecr(Region.AP_NORTHEAST_1)) {
            assertThat(Ecr.errorOf(() -> tokyo.describeRepositories(b -> {})))
                    .isEqualTo("InvalidSignatureException: Credential should be scoped to a valid region. ");
        }
    }

    @Test
    void v2_regionFromHost_andTokensBoundToTheirRegion() throws Exception {
        String west = "localhost:" + server.port();
        String east = "127.0.0.1:" + server.port();
        String basic = server.basicAuth();
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = "regions layer".getBytes(StandardCharsets.UTF_8);
        Digest c = Digest.sha256Of(config);
        Digest l = Digest.sha256Of(layer);
        assertThat(raw("POST", west, "/v2/web/blobs/uploads/?digest=" + c, basic, null, config)).startsWith("HTTP/1.1 201");
        assertThat(raw("POST", west, "/v2/web/blobs/uploads/?digest=" + l, basic, null, layer)).startsWith("HTTP/1.1 201");
        String manifest = Fixtures.ociManifest(c, config.length, l, layer.length);
        assertThat(raw("PUT", west, "/v2/web/manifests/v1", basic, "application/vnd.oci.image.manifest.v1+json",
                manifest.getBytes(StandardCharsets.UTF_8))).as("push to eu-west-1 by host").startsWith("HTTP/1.1 201");

        assertThat(raw("GET", west, "/v2/web/manifests/v1", basic, null, null)).startsWith("HTTP/1.1 200");
        assertThat(raw("GET", east, "/v2/web/manifests/v1", basic, null, null)).as("us-east-1 has no web")
                .startsWith("HTTP/1.1 404").contains("NAME_UNKNOWN");
        assertThat(raw("GET", "000000000000.dkr.ecr.eu-west-1.localhost", "/v2/web/manifests/v1", basic, null, null))
                .as("the ECR-style host names eu-west-1").startsWith("HTTP/1.1 200");
        assertThat(raw("GET", "000000000000.dkr.ecr.ap-south-1.localhost", "/v2/", basic, null, null))
                .as("a region not served").startsWith("HTTP/1.1 404").contains("does not serve region ap-south-1");

        String westToken;
        try (EcrClient w = ecr(Region.EU_WEST_1)) {
            westToken = "Basic " + w.getAuthorizationToken().authorizationData().get(0).authorizationToken();
        }
        assertThat(raw("GET", west, "/v2/web/manifests/v1", westToken, null, null)).as("eu-west-1 token there")
                .startsWith("HTTP/1.1 200");
        assertThat(raw("GET", east, "/v2/", westToken, null, null)).as("eu-west-1 token in us-east-1")
                .startsWith("HTTP/1.1 401").contains("issued for region eu-west-1");
        try (EcrClient e = ecr(Region.US_EAST_1)) {
            String eastToken = "Basic " + e.getAuthorizationToken().authorizationData().get(0).authorizationToken();
            assertThat(raw("GET", east, "/v2/", eastToken, null, null)).startsWith("HTTP/1.1 200");
            assertThat(raw("GET", west, "/v2/", eastToken, null, null)).startsWith("HTTP/1.1 401");
        }
        try (EcrClient w = ecr(Region.EU_WEST_1)) {
            assertThat(w.describeImages(b -> b.repositoryName("web")).imageDetails()).as("ECR API sees the /v2 push")
                    .singleElement().satisfies(d -> assertThat(d.imageTags()).containsExactly("v1"));
        }
    }

    /** Whether a GET answers 200 (for waiting on replication). */
    static boolean rawOk(int port, String host, String path, String auth) {
        try {
            return raw(port, "GET", host, path, auth, null, null).startsWith("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }

    /** The whole answer to a GET, or "" when it could not be read. */
    static String raw0(int port, String host, String path, String auth) {
        try {
            return raw(port, "GET", host, path, auth, null, null);
        } catch (IOException e) {
            return "";
        }
    }

    /** java.net.http refuses to set Host, so the host-selected region is spoken on a socket. */
    static String raw(String method, String host, String path, String auth, String contentType, byte[] body)
            throws IOException {
        return raw(server.port(), method, host, path, auth, contentType, body);
    }

    static String raw(int port, String method, String host, String path, String auth, String contentType,
                      byte[] body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host
                    + "\r\nAuthorization: " + auth + "\r\nConnection: close\r\n");
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            head.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            s.getInputStream().transferTo(got);
            return got.toString(StandardCharsets.UTF_8);
        }
    }

}
