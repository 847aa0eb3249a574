package io.berth.server.config;

import static io.berth.server.config.ConfigAssertions.assertEnvironment;
import static io.berth.server.config.ConfigAssertions.assertFullMapping;
import static io.berth.server.config.ConfigAssertions.assertRecordedDefaults;
import static io.berth.server.config.ConfigAssertions.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.service.CreateOnPush;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryConfigTest {
    @Test
    void defaults() {
        assertRecordedDefaults(RegistryConfig.SECTION, new RegistryConfig(CreateOnPush.ALWAYS));
    }

    @Test
    void everyKey() {
        assertFullMapping(RegistryConfig.SECTION, Map.of("registry.create-on-push", "template"),
                new RegistryConfig(CreateOnPush.TEMPLATE));
        assertEnvironment(RegistryConfig.SECTION, Map.of("registry.create-on-push", "BERTH_CREATE_ON_PUSH"));
    }

    @Test
    void modes_andTheOldBooleansAsAliases() {
        Map<String, CreateOnPush> expected = Map.of("template", CreateOnPush.TEMPLATE, "always", CreateOnPush.ALWAYS,
                "never", CreateOnPush.NEVER, "NEVER", CreateOnPush.NEVER, "true", CreateOnPush.ALWAYS,
                "false", CreateOnPush.NEVER);
        expected.forEach((value, mode) -> assertThat(ConfigAssertions.read(RegistryConfig.SECTION, Map.of(),
                Map.of("registry.create-on-push", value))).as("create-on-push=%s", value)
                .isEqualTo(new RegistryConfig(mode)));
    }

    @Test
    void badValue() {
        assertThat(problems(RegistryConfig.SECTION, Map.of("registry.create-on-push", "maybe")))
                .as("problems for create-on-push=maybe")
                .containsExactly("registry.create-on-push must be one of template|always|never (or true|false), "
                        + "got 'maybe'");
    }
}
