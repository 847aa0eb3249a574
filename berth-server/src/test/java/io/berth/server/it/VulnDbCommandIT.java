package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.berth.server.MainAccess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth vulndb import} and {@code status} as a user runs them, on a real data directory (SQLite). */
class VulnDbCommandIT {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private Run berth(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            String[] full = new String[args.length + 2];
            System.arraycopy(args, 0, full, 0, args.length);
            full[args.length] = "--data";
            full[args.length + 1] = dir.resolve("data").toString();
            code = MainAccess.execute(full);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path secdb() throws IOException {
        Path f = dir.resolve("v3.11-community.yaml");
        try (InputStream in = getClass().getResourceAsStream("/vulndata/v3.11-community.yaml")) {
            Files.copy(in, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return f;
    }

    @Test
    void importThenStatus_fromAFileAndFromAUrl() throws Exception {
        assertThat(berth("vulndb", "status").out()).contains("No vulnerability data");

        Run imported = berth("vulndb", "import", secdb().toString());
        assertThat(imported.code()).as(imported.err()).isZero();
        assertThat(imported.err()).contains("as alpine-secdb into source alpine-secdb:v3.11/community");
        assertThat(imported.out()).contains("Source alpine-secdb:v3.11/community (alpine-secdb): 85 records read, "
                + "883 advisories stored").contains("Alpine:3.11").contains("rejected        2  malformed vulnerability id");

        Run status = berth("vulndb", "status");
        assertThat(status.code()).isZero();
        assertThat(status.out()).contains("SOURCE").containsPattern("alpine-secdb:v3.11/community\\s+alpine-secdb\\s+883\\s+");

        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = Files.readAllBytes(secdb());
        http.createContext("/v3.11/community.yaml", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(body);
            }
        });
        http.start();
        try {
            String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/v3.11/community.yaml";
            Run fromUrl = berth("vulndb", "import", url, "--source", "alpine-community");
            assertThat(fromUrl.code()).as(fromUrl.err()).isZero();
            assertThat(fromUrl.out()).contains("Source alpine-community (alpine-secdb): 85 records read, 883 advisories");
            Run missing = berth("vulndb", "import", url.replace("community", "nothing"));
            assertThat(missing.code()).isNotZero();
        } finally {
            http.stop(0);
        }
        assertThat(berth("vulndb", "status").out()).contains("alpine-community").contains("alpine-secdb:v3.11/community");

        // each import that reached the database is an admin change in the audit trail (the failed download did not)
        Run audit = berth("admin", "audit", "--event", "ImportVulnerabilityData", "--json");
        assertThat(audit.code()).as(audit.err()).isZero();
        assertThat(audit.out().lines().filter(l -> l.contains("ImportVulnerabilityData"))).hasSize(2);
        assertThat(audit.out()).contains("alpine-secdb:v3.11/community").contains("\"advisories\":883")
                .contains("berth-admin");
    }

    @Test
    void import_refusesWhatItCannotRead() throws Exception {
        assertThat(berth("vulndb", "import", dir.resolve("absent.json").toString()).code()).isEqualTo(2);
        Run badFormat = berth("vulndb", "import", secdb().toString(), "--format", "trivy");
        assertThat(badFormat.code()).isEqualTo(2);
        assertThat(badFormat.err()).contains("unknown format 'trivy'");
        Path junk = dir.resolve("junk.txt");
        Files.writeString(junk, "hello\n");
        assertThat(berth("vulndb", "import", junk.toString()).err()).contains("give --format");
        Path withdrawn = dir.resolve("w.jsonl");
        Files.writeString(withdrawn, "{\"id\":\"X\",\"withdrawn\":\"2024-01-01T00:00:00Z\",\"affected\":[]}\n");
        Run nothing = berth("vulndb", "import", withdrawn.toString());
        assertThat(nothing.code()).isEqualTo(1);
        assertThat(nothing.err()).contains("nothing importable").contains("left unchanged");
    }
}
