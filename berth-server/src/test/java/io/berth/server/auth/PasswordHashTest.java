package io.berth.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHashTest {
    @Test
    void aHashIsSaltedSlowAndVerifiesOnlyItsPassword() {
        String a = PasswordHash.hash("correct horse".toCharArray());
        String b = PasswordHash.hash("correct horse".toCharArray());
        assertThat(a).startsWith("pbkdf2-sha256$210000$").isNotEqualTo(b).doesNotContain("correct horse");
        assertThat(PasswordHash.ITERATIONS).isGreaterThanOrEqualTo(210_000);
        assertThat(PasswordHash.verify("correct horse".toCharArray(), a)).isTrue();
        assertThat(PasswordHash.verify("correct horse".toCharArray(), b)).isTrue();
        assertThat(PasswordHash.verify("correct horsf".toCharArray(), a)).isFalse();
        assertThat(PasswordHash.verify("correct horse".toCharArray(), null)).isFalse();
        assertThat(PasswordHash.verify("correct horse".toCharArray(), "plain$text")).isFalse();
    }

    @Test
    void shortAndOverlongPasswordsAreRefused() {
        assertThat(PasswordHash.problem("1234567".toCharArray())).contains("at least 8");
        assertThat(PasswordHash.problem("12345678".toCharArray())).isNull();
        assertThat(PasswordHash.problem("x".repeat(129).toCharArray())).contains("at most 128");
    }
}
