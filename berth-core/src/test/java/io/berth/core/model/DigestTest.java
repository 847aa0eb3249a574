package io.berth.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DigestTest {

    @Test
    void parse_sha256AndSha512_roundTrip() {
        String s256 = "sha256:" + "a".repeat(64);
        String s512 = "sha512:" + "0".repeat(128);
        assertThat(Digest.parse(s256).toString()).isEqualTo(s256);
        assertThat(Digest.parse(s512).algorithm()).isEqualTo(Digest.Algorithm.SHA512);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sha256", "sha256:", "sha256:abc", "md5:" + "a", "sha256:" + "A", ":abc",
            "sha512:aaaa", "sha256:zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"})
    void parse_malformed_throwsDigestInvalid(String value) {
        String v = value.equals("sha256:A") ? "sha256:" + "A".repeat(64) : value;
        assertThatThrownBy(() -> Digest.parse(v))
                .as("parsing %s", v)
                .isInstanceOf(RegistryException.class)
                .extracting(e -> ((RegistryException) e).code()).isEqualTo(ErrorCode.DIGEST_INVALID);
    }

    @Test
    void sha256Of_knownValue_matches() {
        assertThat(Digest.sha256Of("{}".getBytes(StandardCharsets.UTF_8)).toString())
                .isEqualTo("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    }
}
