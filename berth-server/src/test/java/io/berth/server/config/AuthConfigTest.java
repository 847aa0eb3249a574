package io.berth.server.config;

import static io.berth.server.config.ConfigAssertions.assertEnvironment;
import static io.berth.server.config.ConfigAssertions.assertFullMapping;
import static io.berth.server.config.ConfigAssertions.assertRecordedDefaults;
import static io.berth.server.config.ConfigAssertions.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.RegistryId;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthConfigTest {
    private static final String MASTER = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void defaults_accountZero_usEast1_authenticationOn() {
        assertRecordedDefaults(AuthConfig.SECTION, new AuthConfig(new RegistryId("000000000000"), "us-east-1", false,
                Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @Test
    void everyKey() {
        assertFullMapping(AuthConfig.SECTION, Map.of("account.id", "123456789012", "region", "eu-west-1",
                "auth.insecure-no-auth", "true", "auth.master-key", MASTER,
                "auth.root-access-key-id", "AKIAIOSFODNN7EXAMPLE",
                "auth.root-secret-access-key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                new AuthConfig(new RegistryId("123456789012"), "eu-west-1", true, Optional.of(MASTER),
                        Optional.of("AKIAIOSFODNN7EXAMPLE"), Optional.of("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")));
        assertEnvironment(AuthConfig.SECTION, Map.of("account.id", "BERTH_ACCOUNT_ID", "region", "BERTH_REGION",
                "auth.insecure-no-auth", "BERTH_INSECURE_NO_AUTH", "auth.master-key", "BERTH_MASTER_KEY",
                "auth.root-access-key-id", "BERTH_ROOT_ACCESS_KEY_ID",
                "auth.root-secret-access-key", "BERTH_ROOT_SECRET_ACCESS_KEY"));
    }

    @Test
    void badSecrets_areRefusedWithoutBeingPrinted() {
        assertThat(problems(AuthConfig.SECTION, Map.of("auth.master-key", "c2hvcnQ=",
                "auth.root-access-key-id", "AKIAIOSFODNN7EXAMPLE", "auth.root-secret-access-key", "short:secret")))
                .hasSize(2)
                .allSatisfy(p -> assertThat(p).doesNotContain("c2hvcnQ=").doesNotContain("short:secret"))
                .anySatisfy(p -> assertThat(p).contains("(BERTH_MASTER_KEY) must be base64 of 32 random bytes"))
                .anySatisfy(p -> assertThat(p).contains("at least 16 characters and contain no ':'"));
    }
}
