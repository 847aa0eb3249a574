package io.berth.server.config;

import static io.berth.server.config.ConfigAssertions.assertEnvironment;
import static io.berth.server.config.ConfigAssertions.assertFullMapping;
import static io.berth.server.config.ConfigAssertions.assertRecordedDefaults;
import static io.berth.server.config.ConfigAssertions.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpConfigTest {
    @Test
    void defaults_port5000OnEveryInterface() {
        assertRecordedDefaults(HttpConfig.SECTION, new HttpConfig("0.0.0.0", 5000, Optional.empty()));
    }

    @Test
    void everyKey() {
        assertFullMapping(HttpConfig.SECTION, Map.of("listen", "[::1]:6000"),
                new HttpConfig("::1", 6000, Optional.empty()));
        assertEnvironment(HttpConfig.SECTION, Map.of("listen", "BERTH_LISTEN"));
        assertThat(ConfigAssertions.read(HttpConfig.SECTION, Map.of(), Map.of("listen", ":7000")).host())
                .as("no host: every interface").isEqualTo("0.0.0.0");
    }

    @Test
    void badListen() {
        assertThat(problems(HttpConfig.SECTION, Map.of("listen", "nowhere")))
                .containsExactly("listen must be HOST:PORT (e.g. 127.0.0.1:5000), got 'nowhere'");
        assertThat(problems(HttpConfig.SECTION, Map.of("listen", "h:70000")))
                .containsExactly("listen port must be 0-65535, got 70000");
        assertThat(problems(HttpConfig.SECTION, Map.of("listen", "h:x")))
                .containsExactly("listen port is not a number: 'x'");
    }
}
