package io.berth.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.spi.meta.AuditEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesAuditSinkTest {
    @TempDir
    Path dir;

    @Test
    void write_appendsOneCloudTrailShapedObjectPerLine() throws Exception {
        Path file = dir.resolve("logs/audit.jsonl");
        JsonLinesAuditSink sink = new JsonLinesAuditSink(file);
        AuditEvent e = new AuditEvent(Instant.parse("2025-01-01T00:00:00Z"), "PutImage", AuditEvent.SOURCE_ECR,
                new AuditEvent.UserIdentity("Root", "111122223333", "arn:aws:iam::111122223333:root", "AKIA1", null),
                "10.0.0.1", "aws-cli/2", "{\"repositoryName\":\"app\"}", null, null, null, "req-1", "app",
                "111122223333");
        sink.write(List.of(e));
        sink.write(List.of(e, e));
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertThat(first.get("eventTime").asText()).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(first.get("userIdentity").get("arn").asText()).isEqualTo("arn:aws:iam::111122223333:root");
        assertThat(first.get("requestParameters").get("repositoryName").asText()).as("an object, not a string")
                .isEqualTo("app");
        assertThat(first.get("requestID").asText()).isEqualTo("req-1");
        assertThat(first.has("errorCode")).isFalse();
    }
}
