package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.berth.server.config.TlsConfig;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** HTTPS from PEM files made by openssl in the test; the JDK client must negotiate HTTP/2 via ALPN. */
class TlsIT {
    static final Path DIR;
    static final Path CERT;
    static final Path KEY;

    static {
        try {
            DIR = Files.createTempDirectory("berth-tls");
            CERT = DIR.resolve("cert.pem");
            KEY = DIR.resolve("key.pem");
            Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    KEY.toString(), "-out", CERT.toString(), "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("openssl failed");
            }
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @RegisterExtension
    static final TestServer server = new TestServer().with(TlsConfig.CERT, CERT.toString())
            .with(TlsConfig.KEY, KEY.toString());

    @Test
    void http2OverTls() throws Exception {
        assumeTrue(Files.exists(CERT), "openssl produced a certificate");
        SSLContext ssl = trusting();
        HttpClient client = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + server.port() + "/v2/")).header("Authorization", server.basicAuth()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET https /v2/: %s", r).isEqualTo(200);
        assertThat(r.version()).as("ALPN-negotiated protocol").isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(r.headers().firstValue("Docker-Distribution-API-Version")).contains("registry/2.0");

        HttpClient h1 = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> r1 = h1.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + server.port() + "/v2/")).header("Authorization", server.basicAuth()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r1.version()).as("HTTP/1.1 still offered").isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    /** The console's cookies carry Secure when the request came over TLS (and only then: ConsoleIT sees none). */
    @Test
    void consoleCookiesAreSecureUnderTls() throws Exception {
        assumeTrue(Files.exists(CERT), "openssl produced a certificate");
        HttpClient client = HttpClient.newBuilder().sslContext(trusting()).build();
        HttpResponse<String> form = client.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + server.port() + "/console/signin")).build(),
                HttpResponse.BodyHandlers.ofString());
        String pre = form.headers().allValues("Set-Cookie").get(0);
        assertThat(pre).startsWith("berth_console_signin=").contains("; Secure", "HttpOnly", "SameSite=Strict");
        String token = pre.substring(pre.indexOf('=') + 1, pre.indexOf(';'));
        HttpResponse<String> signedIn = client.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + server.port() + "/console/signin"))
                .header("Cookie", "berth_console_signin=" + token)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + token + "&accessKeyId=" + TestServer.ROOT_KEY_ID
                        + "&secret=" + java.net.URLEncoder.encode(TestServer.ROOT_SECRET,
                        java.nio.charset.StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(signedIn.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c)
                .startsWith("berth_console=").contains("; Secure", "HttpOnly", "SameSite=Strict"));
    }

    private static SSLContext trusting() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(CERT)) {
            trust.setCertificateEntry("berth", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }
}
