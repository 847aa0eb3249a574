package io.berth.server.config;

import static io.berth.server.config.ConfigAssertions.assertEnvironment;
import static io.berth.server.config.ConfigAssertions.assertFullMapping;
import static io.berth.server.config.ConfigAssertions.assertRecordedDefaults;
import static io.berth.server.config.ConfigAssertions.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.server.config.LogConfig.LogFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogConfigTest {
    @Test
    void defaults() {
        assertRecordedDefaults(LogConfig.SECTION, new LogConfig(LogFormat.TEXT));
    }

    @Test
    void everyKey() {
        assertFullMapping(LogConfig.SECTION, Map.of("log.format", "json"), new LogConfig(LogFormat.JSON));
        assertEnvironment(LogConfig.SECTION, Map.of("log.format", "BERTH_LOG_FORMAT"));
    }

    @Test
    void badValue_listsTheChoices() {
        assertThat(problems(LogConfig.SECTION, Map.of("log.format", "xml")))
                .containsExactly("log.format must be one of text|json, got 'xml'");
    }
}
