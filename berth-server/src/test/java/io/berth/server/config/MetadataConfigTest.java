package io.berth.server.config;

import static io.berth.server.config.ConfigAssertions.assertEnvironment;
import static io.berth.server.config.ConfigAssertions.assertFullMapping;
import static io.berth.server.config.ConfigAssertions.assertRecordedDefaults;
import static io.berth.server.config.ConfigAssertions.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.server.config.MetadataConfig.MetadataType;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MetadataConfigTest {
    @Test
    void defaults_sqlite() {
        assertRecordedDefaults(MetadataConfig.SECTION, new MetadataConfig(MetadataType.SQLITE, Optional.empty(),
                Optional.empty(), Optional.empty()));
    }

    @Test
    void everyKey_passwordNeverPrinted() {
        MetadataConfig expected = new MetadataConfig(MetadataType.POSTGRES,
                Optional.of("jdbc:postgresql://127.0.0.1:5432/berth"), Optional.of("berth"), Optional.of("secret"));
        assertFullMapping(MetadataConfig.SECTION, Map.of("metadata.type", "postgres",
                "metadata.url", "jdbc:postgresql://127.0.0.1:5432/berth", "metadata.user", "berth",
                "metadata.password", "secret"), expected);
        assertEnvironment(MetadataConfig.SECTION, Map.of("metadata.type", "BERTH_METADATA_TYPE",
                "metadata.url", "BERTH_METADATA_URL", "metadata.user", "BERTH_METADATA_USER",
                "metadata.password", "BERTH_METADATA_PASSWORD"));
        assertThat(expected.toString()).doesNotContain("secret");
    }

    @Test
    void postgres_needsAPostgresUrl() {
        assertThat(problems(MetadataConfig.SECTION, Map.of("metadata.type", "postgres")))
                .singleElement().asString().contains("needs metadata.url");
        assertThat(problems(MetadataConfig.SECTION, Map.of("metadata.type", "postgres",
                "metadata.url", "jdbc:mysql://db/berth")))
                .containsExactly("metadata.url must start with jdbc:postgresql:, got 'jdbc:mysql://db/berth'");
        assertThat(problems(MetadataConfig.SECTION, Map.of("metadata.type", "mysql")))
                .containsExactly("metadata.type must be one of sqlite|postgres, got 'mysql'");
    }
}
