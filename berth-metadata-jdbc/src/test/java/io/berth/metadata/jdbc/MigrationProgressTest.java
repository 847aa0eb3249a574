package io.berth.metadata.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MigrationProgressTest {
    private final MigrationProgress progress = new MigrationProgress("24");

    @Test
    void lineHasTheVersionItsShareAndAnEtaFromThePaceSoFar() {
        // 6 migrations in 3 s: 0.5 s each, 18 versions to go
        assertThat(progress.line("6", "tags", 6, 3_000_000_000L))
                .isEqualTo("schema migration V6 (tags) applied: version 6 of 24 (25%), ETA 0:09");
    }

    @Test
    void theLastMigrationHasNoEta() {
        assertThat(progress.line("24", "kms", 24, 12_000_000_000L))
                .isEqualTo("schema migration V24 (kms) applied: version 24 of 24 (100%)");
    }

    @Test
    void aVersionThatIsNoIntegerIsNamedOnly() {
        assertThat(progress.line("2.1", "fix", 1, 1L)).isEqualTo("schema migration V2.1 (fix) applied");
    }

    @Test
    void oneLinePerTenthOfTheVersions() {
        assertThat(progress.tenth("2")).isZero();
        assertThat(progress.tenth("3")).isEqualTo(1);
        assertThat(progress.tenth("24")).isEqualTo(10);
        assertThat(progress.tenth("x")).isEqualTo(-2);
    }
}
