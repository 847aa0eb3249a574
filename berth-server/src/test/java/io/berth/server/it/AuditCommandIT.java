package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.spi.meta.AuditEvent;
import io.berth.core.spi.meta.AuditQuery;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 7, item 10: {@code berth admin audit} printed recorded fields raw, so a forged repository name with
 * {@code ESC[2J} and CR/LF rewrote the operator's terminal and forged table lines. An event carrying such text in
 * every caller-controlled field is recorded, then listed as a table and as JSON lines by the real command.
 */
class AuditCommandIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static final String FORGED = "evil\u001b[2J\r\n2026-01-01T00:00:00Z   DeleteRepository   root\u009b31m"
            + "\u202egnp.exe\u0007\u007f";

    @Test
    void hostileRecordedText_isEscaped_inTableAndJson() throws Exception {
        server.app().stores().audit().record(new AuditEvent(Instant.now(), "Forged" + FORGED,
                AuditEvent.SOURCE_ECR, AuditEvent.UserIdentity.presented("AKIA" + FORGED), "203.0.113.7" + FORGED,
                "agent" + FORGED, "{\"repositoryName\":\"" + FORGED.replace("\u001b", "\\u001b")
                .replace("\r", "\\r").replace("\n", "\\n").replace("\u0007", "\\u0007") + "\"}", null,
                "InvalidParameterException" + FORGED, "message" + FORGED, "req-forged", "repo" + FORGED,
                TestServer.ACCOUNT));
        for (int i = 0; i < 100 && server.app().stores().metadata().read(tx -> tx.audit().query(
                new AuditQuery(null, null, null, null, null, 10, null))).events().stream()
                .noneMatch(e -> "req-forged".equals(e.requestId())); i++) {
            Thread.sleep(50);
        }

        String table = server.admin("audit", "--limit", "1");
        assertThat(table).as("table output of the forged event:%n%s", table)
                .doesNotContain("\u001b", "\r", "\u009b", "\u202e", "\u0007", "\u007f")
                .contains("repoevil\\x1b[2J\\x0d\\x0a2026-01-01", "\\x9b31m", "\\u202egnp.exe\\x07\\x7f");
        assertThat(table.lines().count()).as("header and one event line, no forged lines").isEqualTo(2);

        String json = server.admin("audit", "--limit", "1", "--json");
        assertThat(json).as("JSON output of the forged event:%n%s", json)
                .doesNotContain("\u001b", "\r", "\u009b", "\u202e", "\u0007", "\u007f")
                .contains("\\u009b31m", "\\u202egnp.exe");
        assertThat(json.lines().count()).as("one JSON line").isEqualTo(1);
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get("repository").asText())
                .as("the escaped line is still JSON for the same text").isEqualTo("repo" + FORGED);
    }
}
