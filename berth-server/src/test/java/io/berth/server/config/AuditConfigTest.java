package io.berth.server.config;

import static io.berth.server.config.ConfigAssertions.assertEnvironment;
import static io.berth.server.config.ConfigAssertions.assertFullMapping;
import static io.berth.server.config.ConfigAssertions.assertRecordedDefaults;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditConfigTest {
    @Test
    void defaults_databaseOnly_cloudTrailsNinetyDays() {
        assertRecordedDefaults(AuditConfig.SECTION, new AuditConfig(Optional.empty(), Duration.ofDays(90),
                Duration.ofHours(1)));
    }

    @Test
    void everyKey() {
        assertFullMapping(AuditConfig.SECTION, Map.of("audit.file", "/var/log/berth/audit.jsonl",
                "audit.retention", "0", "audit.prune-interval", "5m"),
                new AuditConfig(Optional.of(Path.of("/var/log/berth/audit.jsonl")), Duration.ZERO,
                        Duration.ofMinutes(5)));
        assertEnvironment(AuditConfig.SECTION, Map.of("audit.file", "BERTH_AUDIT_FILE",
                "audit.retention", "BERTH_AUDIT_RETENTION", "audit.prune-interval", "BERTH_AUDIT_PRUNE_INTERVAL"));
    }

    @Test
    void blankFile_meansDatabaseOnly() {
        assertThat(ConfigAssertions.read(AuditConfig.SECTION, Map.of(), Map.of("audit.file", "  ")).file()).isEmpty();
    }
}
