package io.berth.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.server.config.HttpConfig;
import io.berth.server.config.TlsConfig;
import io.berth.server.http.oci.OciHandler;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PEM loading (PKCS#8, PKCS#1 RSA, SEC1 EC from openssl) and ALPN h2 over Jetty, without storage backends. */
class TlsSmokeTest {
    @TempDir
    Path dir;

    private void openssl(String... args) throws Exception {
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("%s: %s", String.join(" ", args), out).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"pkcs8-rsa", "pkcs1-rsa", "sec1-ec"})
    void servesHttp2WithPemKey(String kind) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        String newkey = kind.endsWith("ec") ? "ec" : "rsa:2048";
        java.util.List<String> req = new java.util.ArrayList<>(java.util.List.of("openssl", "req", "-x509",
                "-newkey", newkey, "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"));
        if (kind.endsWith("ec")) {
            req.addAll(5, java.util.List.of("-pkeyopt", "ec_paramgen_curve:prime256v1"));
        }
        openssl(req.toArray(new String[0]));
        if (kind.equals("pkcs1-rsa")) {
            openssl("openssl", "rsa", "-in", key.toString(), "-out", key.toString(), "-traditional");
        } else if (kind.equals("sec1-ec")) {
            openssl("openssl", "ec", "-in", key.toString(), "-out", key.toString());
        }
        assertThat(Files.readString(key)).contains(kind.equals("pkcs1-rsa") ? "BEGIN RSA PRIVATE KEY"
                : kind.equals("sec1-ec") ? "BEGIN EC PRIVATE KEY" : "BEGIN PRIVATE KEY");

        BerthServer server = new BerthServer(new HttpConfig("127.0.0.1", 0,
                Optional.of(new TlsConfig(cert, key))), RootHandler.of(new OciHandler(OciHandlerSmokeTest.FAKE),
                new HealthHandler(() -> { }), null), false);
        server.start();
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(cert)) {
                trust.setCertificateEntry("c", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_2).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + server.port() + "/v2/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.version()).as("ALPN with a %s key", kind).isEqualTo(HttpClient.Version.HTTP_2);
        } finally {
            server.stop();
        }
    }
}
