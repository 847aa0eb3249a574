package io.berth.server.config;

import static io.berth.server.config.ConfigAssertions.assertEnvironment;
import static io.berth.server.config.ConfigAssertions.assertFullMapping;
import static io.berth.server.config.ConfigAssertions.assertRecordedDefaults;
import static io.berth.server.config.ConfigAssertions.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryConfigTest {
    @Test
    void defaults() {
        assertRecordedDefaults(RegistryConfig.SECTION, new RegistryConfig(true));
    }

    @Test
    void everyKey() {
        assertFullMapping(RegistryConfig.SECTION, Map.of("registry.create-on-push", "false"),
                new RegistryConfig(false));
        assertEnvironment(RegistryConfig.SECTION, Map.of("registry.create-on-push", "BERTH_CREATE_ON_PUSH"));
    }

    @Test
    void badValue() {
        assertThat(problems(RegistryConfig.SECTION, Map.of("registry.create-on-push", "maybe")))
                .containsExactly("registry.create-on-push must be true or false, got 'maybe'");
    }
}
