package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.server.boot.BerthApp;
import io.berth.server.config.BerthConfig;
import io.berth.server.config.AuthConfig;
import io.berth.server.config.ConfigKey;
import io.berth.server.config.GcConfig;
import io.berth.server.config.MetadataConfig;
import io.berth.server.config.HttpConfig;
import io.berth.server.config.StorageConfig;
import io.berth.server.config.ConfigLoader;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * Boots the real server (the whole {@link BerthApp}, as {@code berth serve} does: filesystem blobs, SQLite metadata)
 * on a random loopback port with a temp data directory, once per test class.
 *
 * <p>Authentication is on, with the default account's root key bootstrapped from {@link #ROOT_KEY_ID} /
 * {@link #ROOT_SECRET} (as {@code BERTH_ROOT_ACCESS_KEY_ID}/{@code BERTH_ROOT_SECRET_ACCESS_KEY} would), and the
 * request helpers send those as Basic credentials, so OCI tests exercise the authenticated path. {@link #anonymous}
 * builds requests without credentials; {@link #insecureNoAuth} starts the server without authentication.
 */
public final class TestServer implements BeforeAllCallback, AfterAllCallback {
    /** AWS's documentation example key: obviously not a real one. */
    public static final String ROOT_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    public static final String ROOT_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    public static final String ACCOUNT = "000000000000";
    private final Map<String, String> extra = new HashMap<>();
    private boolean insecure;
    /** The throw-away PostgreSQL schema of {@link #onPostgres}, else null (SQLite in the data directory). */
    private String pgSchema;
    /** False for a second node over another server's schema ({@link #sharingMetadataWith}): it neither creates nor drops it. */
    private boolean ownsSchema = true;
    private String dataMode; // null: as createTempDirectory makes it (0700)
    private Path data;
    private BerthApp app;
    private HttpClient client;
    private EcrClient ecr;

    public TestServer with(ConfigKey key, String value) {
        extra.put(key.name(), value);
        return this;
    }

    /**
     * Keeps the metadata in a throw-away schema of the test PostgreSQL server instead of SQLite (127.0.0.1:5432,
     * database {@code test}, user {@code postgres}, trust authentication; {@code BERTH_PG_URL}, {@code BERTH_PG_USER}
     * and {@code BERTH_PG_PASSWORD} override them), dropped when the server stops. {@link #admin} reaches it too.
     */
    public TestServer onPostgres() {
        pgSchema = "berth_it_" + java.util.UUID.randomUUID().toString().replace("-", "");
        return this;
    }

    /**
     * Another node over {@code first}'s PostgreSQL schema (which must be {@link #onPostgres}): what several Berth
     * nodes behind a load balancer share. Whichever starts first creates the schema; only {@code first} drops it.
     */
    public TestServer sharingMetadataWith(TestServer first) {
        if (first.pgSchema == null) {
            throw new IllegalArgumentException("the first node must be onPostgres()");
        }
        pgSchema = first.pgSchema;
        ownsSchema = false;
        return this;
    }

    private static String pgEnv(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static final String PG_URL = pgEnv("BERTH_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String PG_USER = pgEnv("BERTH_PG_USER", "postgres");

    private String pgSchemaUrl() {
        return PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + pgSchema;
    }

    private static void pgExec(String sql) {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(PG_URL, PG_USER,
                System.getenv("BERTH_PG_PASSWORD")); java.sql.Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + PG_URL + ": " + sql, e);
        }
    }

    /** Starts with {@code --insecure-no-auth}; requests then carry no credentials. */
    public TestServer insecureNoAuth() {
        insecure = true;
        return with(AuthConfig.INSECURE_NO_AUTH, "true");
    }

    /** Gives the data directory these permissions before the server starts, as an earlier version left it. */
    public TestServer withDataDirectoryMode(String posixPermissions) {
        dataMode = posixPermissions;
        return this;
    }

    /** {@code Basic base64(ROOT_KEY_ID:ROOT_SECRET)}. */
    public String basicAuth() { return basic(ROOT_KEY_ID, ROOT_SECRET); }

    public static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The running registry, for tests that seed or inspect what it holds. */
    public BerthApp app() { return app; }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        data = Files.createTempDirectory("berth-it");
        if (dataMode != null) {
            Files.setPosixFilePermissions(data, java.nio.file.attribute.PosixFilePermissions.fromString(dataMode));
        }
        Map<String, String> cli = new HashMap<>(extra);
        cli.putIfAbsent(HttpConfig.LISTEN.name(), "127.0.0.1:0"); // a test may pin the port (a peer that starts late)
        cli.put(StorageConfig.DATA.name(), data.toString());
        cli.putIfAbsent(GcConfig.INTERVAL.name(), "0"); // no background GC unless a test asks for it
        if (pgSchema != null) {
            pgExec("CREATE SCHEMA IF NOT EXISTS " + pgSchema);
            cli.put(MetadataConfig.TYPE.name(), "postgres");
            cli.put(MetadataConfig.URL.name(), pgSchemaUrl());
            cli.put(MetadataConfig.USER.name(), PG_USER);
            if (System.getenv("BERTH_PG_PASSWORD") != null) {
                cli.put(MetadataConfig.PASSWORD.name(), System.getenv("BERTH_PG_PASSWORD"));
            }
        }
        Map<String, String> env = insecure ? Map.of() : Map.of("BERTH_ROOT_ACCESS_KEY_ID", ROOT_KEY_ID,
                "BERTH_ROOT_SECRET_ACCESS_KEY", ROOT_SECRET);
        BerthConfig config = ConfigLoader.load(Optional.empty(), env, cli);
        app = BerthApp.start(config);
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (ecr != null) {
            ecr.close();
        }
        if (app != null) {
            app.stop();
        }
        if (pgSchema != null && ownsSchema) {
            pgExec("DROP SCHEMA IF EXISTS " + pgSchema + " CASCADE");
        }
        if (data != null) {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    public URI uri(String path) { return app.server().uri().resolve(path); }

    /** The AWS SDK's ECR client at this server, signed with the root key; one per server, closed with it. */
    public synchronized EcrClient ecr() {
        if (ecr == null) {
            ecr = Ecr.client(this, ROOT_KEY_ID, ROOT_SECRET);
        }
        return ecr;
    }

    public int port() { return app.server().port(); }

    public Path data() { return data; }

    /** A request with the root's Basic credentials (none under {@link #insecureNoAuth}). */
    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = anonymous(path);
        return insecure ? b : b.header("Authorization", basicAuth());
    }

    /** A request without credentials. */
    public HttpRequest.Builder anonymous(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path));
    }

    public HttpResponse<byte[]> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers)
            throws IOException, InterruptedException {
        return send(request(path), method, body, headers);
    }

    /** A request with {@code authorization} (another principal's Basic credentials, say) instead of the root's. */
    public HttpResponse<byte[]> sendAs(String authorization, String method, String path, byte[] body,
                                       String... headers) throws IOException, InterruptedException {
        return send(anonymous(path).header("Authorization", authorization), method, body, headers);
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder b, String method, byte[] body, String... headers)
            throws IOException, InterruptedException {
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b);
    }

    public HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        return send("GET", path, null, headers);
    }

    public HttpResponse<byte[]> head(String path) throws IOException, InterruptedException {
        return send("HEAD", path, null);
    }

    /** Monolithic push; returns the digest. */
    public Digest pushBlob(String repo, byte[] content) throws IOException, InterruptedException {
        Digest d = Digest.sha256Of(content);
        HttpResponse<byte[]> r = send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + d, content);
        if (r.statusCode() != 201) {
            throw new AssertionError("monolithic push of " + d + " to " + repo + " got " + r.statusCode() + " "
                    + text(r));
        }
        return d;
    }

    public HttpResponse<byte[]> putManifest(String repo, String ref, String mediaType, String json)
            throws IOException, InterruptedException {
        return send("PUT", "/v2/" + repo + "/manifests/" + ref, json.getBytes(StandardCharsets.UTF_8),
                "Content-Type", mediaType);
    }

    public static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /** "what came back" for assertion messages. */
    public static String describe(HttpResponse<byte[]> r) {
        return r.request().method() + " " + r.uri().getRawPath()
                + (r.uri().getRawQuery() == null ? "" : "?" + r.uri().getRawQuery()) + " -> " + r.statusCode() + " "
                + r.headers().map() + " " + (r.body().length > 300 ? r.body().length + " bytes" : text(r));
    }

    /**
     * Runs {@code berth admin <args> --data <this server's data dir>} in-process, as an operator would beside the
     * running server; asserts exit code 0 and returns what it printed.
     */
    public String admin(String... args) {
        List<String> command = new ArrayList<>();
        command.add("admin");
        command.addAll(List.of(args));
        command.addAll(List.of("--data", data().toString()));
        if (pgSchema != null) {
            command.addAll(List.of("--metadata", "postgres", "--metadata-url", pgSchemaUrl(), "--metadata-user",
                    PG_USER));
        }
        String[] full = command.toArray(String[]::new);
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            int code = io.berth.server.MainAccess.execute(full);
            assertThat(code).as("berth %s exit code; output %s", String.join(" ", full), captured).isZero();
        } finally {
            System.setOut(saved);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** java.net.http refuses to set Host, so the account-by-host checks speak HTTP/1.1 on a socket. */
    public String rawGet(String host, String path, String authorization) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: " + authorization
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            StringBuilder b = new StringBuilder();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                b.append(line).append('\n');
            }
            return b.toString();
        }
    }
}
