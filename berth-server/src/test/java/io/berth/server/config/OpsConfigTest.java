package io.berth.server.config;

import static io.berth.server.config.ConfigAssertions.assertEnvironment;
import static io.berth.server.config.ConfigAssertions.assertFullMapping;
import static io.berth.server.config.ConfigAssertions.assertRecordedDefaults;
import static io.berth.server.config.ConfigAssertions.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code management.*} and {@code throttling.*} (issue 14 §2, §4). */
class OpsConfigTest {
    @Test
    void defaults_noManagementPort_noToken_throttlingOff() {
        assertRecordedDefaults(ManagementConfig.SECTION, ManagementConfig.OFF);
        assertRecordedDefaults(ThrottlingConfig.SECTION, ThrottlingConfig.OFF);
    }

    @Test
    void everyKey() {
        assertFullMapping(ManagementConfig.SECTION, Map.of("management.listen", "127.0.0.1:9090",
                "management.token", "0123456789abcdef"), new ManagementConfig(Optional.of("127.0.0.1"), 9090,
                Optional.of("0123456789abcdef")));
        assertFullMapping(ThrottlingConfig.SECTION, Map.of("throttling.mode", "ecr",
                "throttling.rates", "PutImage=20, BatchGetImage=0.5"), new ThrottlingConfig(ThrottlingConfig.Mode.ECR,
                Map.of("PutImage", 20.0, "BatchGetImage", 0.5)));
        assertEnvironment(ManagementConfig.SECTION, Map.of("management.listen", "BERTH_MANAGEMENT_LISTEN",
                "management.token", "BERTH_MANAGEMENT_TOKEN"));
        assertEnvironment(ThrottlingConfig.SECTION, Map.of("throttling.mode", "BERTH_THROTTLING_MODE",
                "throttling.rates", "BERTH_THROTTLING_RATES"));
    }

    @Test
    void badValues_areNamed() {
        assertThat(problems(ManagementConfig.SECTION, Map.of("management.listen", "9090", "management.token", "short")))
                .containsExactlyInAnyOrder("management.token must be at least 16 characters",
                        "management.listen must be HOST:PORT (e.g. 127.0.0.1:5000), got '9090'");
        assertThat(problems(ThrottlingConfig.SECTION, Map.of("throttling.mode", "fast",
                "throttling.rates", "PutImage=x,putimage=1,BatchGetImage=0")))
                .containsExactlyInAnyOrder("throttling.mode must be one of off|ecr|custom, got 'fast'",
                        "throttling.rates: the rate of PutImage is not a number: 'PutImage=x'",
                        "throttling.rates entries must be Operation=rate (e.g. PutImage=10), got 'putimage=1'",
                        "throttling.rates: the rate of BatchGetImage must be above 0 and at most 1000000");
        assertThat(problems(ThrottlingConfig.SECTION, Map.of("throttling.mode", "custom")))
                .containsExactly("throttling.mode custom needs throttling.rates (e.g. PutImage=10,BatchGetImage=100)");
    }
}
