package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.server.config.TlsConfig;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Issue #8 §1: over HTTP/2 there is no {@code Host} header, only {@code :authority}, which the SDKs sign as
 * {@code host}. ECR calls used to build their SigV4 request without that fallback and answered InvalidSignature.
 * Calls are signed by the AWS SDK's signer and sent by the JDK client over TLS with HTTP/2 (no HTTP/2-capable SDK
 * HTTP client is on the test classpath).
 */
class AwsHttp2IT {
    /** Headers the JDK client sets itself (HTTP/2 sends {@code :authority} for the signed host). */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect");

    @RegisterExtension
    static final TestServer SERVER = new TestServer().with(TlsConfig.CERT, TlsIT.CERT.toString())
            .with(TlsConfig.KEY, TlsIT.KEY.toString());
    static HttpClient h2;

    @BeforeAll
    static void client() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(TlsIT.CERT)) {
            trust.setCertificateEntry("berth", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        h2 = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_2).build();
    }

    /** {@code POST /} signed by the SDK's SigV4 signer for {@code service}, sent over HTTP/2. */
    static HttpResponse<String> call(String service, String contentType, String target, String body)
            throws Exception {
        URI uri = URI.create("https://localhost:" + SERVER.port() + "/");
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri)
                .putHeader("Content-Type", contentType).putHeader("X-Amz-Target", target).build();
        var signed = AwsV4HttpSigner.create().sign(r -> r.identity(AwsCredentialsIdentity.create(
                        TestServer.ROOT_KEY_ID, TestServer.ROOT_SECRET)).request(request)
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body));
        signed.request().headers().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(v -> b.header(name, v));
            }
        });
        return h2.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void ecrAndSts_signedCallsOverHttp2_authenticate() throws Exception {
        HttpResponse<String> ecr = call("ecr", "application/x-amz-json-1.1",
                "AmazonEC2ContainerRegistry_V20150921.DescribeRegistry", "{}");
        assertThat(ecr.version()).as("ALPN-negotiated protocol").isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(ecr.statusCode()).as("ECR DescribeRegistry over HTTP/2: %s %s", ecr, ecr.body()).isEqualTo(200);
        assertThat(ecr.body()).contains("\"registryId\":\"" + TestServer.ACCOUNT + "\"");

        HttpResponse<String> sts = call("sts", "application/x-amz-json-1.0",
                "AWSSecurityTokenServiceV20110615.GetCallerIdentity", "{}");
        assertThat(sts.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(sts.statusCode()).as("STS GetCallerIdentity over HTTP/2: %s %s", sts, sts.body()).isEqualTo(200);
        assertThat(sts.body()).contains("\"Account\":\"" + TestServer.ACCOUNT + "\"");
    }
}
