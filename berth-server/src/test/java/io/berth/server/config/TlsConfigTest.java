package io.berth.server.config;

import static io.berth.server.config.ConfigAssertions.assertEnvironment;
import static io.berth.server.config.ConfigAssertions.assertFullMapping;
import static io.berth.server.config.ConfigAssertions.assertRecordedDefaults;
import static io.berth.server.config.ConfigAssertions.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaults_plainHttp() {
        assertRecordedDefaults(TlsConfig.SECTION, Optional.empty());
    }

    @Test
    void everyKey() throws IOException {
        Path cert = Files.writeString(dir.resolve("c.pem"), "x");
        Path key = Files.writeString(dir.resolve("k.pem"), "x");
        assertFullMapping(TlsConfig.SECTION, Map.of("tls.cert", cert.toString(), "tls.key", key.toString()),
                Optional.of(new TlsConfig(cert, key)));
        assertEnvironment(TlsConfig.SECTION, Map.of("tls.cert", "BERTH_TLS_CERT", "tls.key", "BERTH_TLS_KEY"));
    }

    @Test
    void bothOrNeither_andFilesMustExist() {
        assertThat(problems(TlsConfig.SECTION, Map.of("tls.cert", "/nonexistent.pem")))
                .containsExactly("tls.cert and tls.key must be given together (got only tls.cert)");
        assertThat(problems(TlsConfig.SECTION, Map.of("tls.cert", "/nonexistent.pem", "tls.key", "/no.pem")))
                .containsExactly("tls.cert /nonexistent.pem is not a readable file",
                        "tls.key /no.pem is not a readable file");
    }
}
