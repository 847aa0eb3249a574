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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaults_dataUnderTheWorkingDirectory() {
        Path data = Path.of("./data").toAbsolutePath().normalize();
        assertRecordedDefaults(StorageConfig.SECTION, new StorageConfig(data, data.resolve("archive")));
    }

    @Test
    void everyKey() {
        assertFullMapping(StorageConfig.SECTION, Map.of("data", dir.resolve("d").toString(),
                "storage.archive-directory", dir.resolve("cold").toString()),
                new StorageConfig(dir.resolve("d"), dir.resolve("cold")));
        assertEnvironment(StorageConfig.SECTION, Map.of("data", "BERTH_DATA", "storage.archive-directory",
                "BERTH_STORAGE_ARCHIVE_DIRECTORY"));
    }

    @Test
    void aFile_isNotADataDirectory() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertThat(problems(StorageConfig.SECTION, Map.of("data", file.toString())))
                .containsExactly("data " + file + " exists and is not a directory");
        assertThat(problems(StorageConfig.SECTION, Map.of("data", " "))).containsExactly("data must not be empty");
        assertThat(problems(StorageConfig.SECTION, Map.of("data", dir.toString(), "storage.archive-directory",
                file.toString()))).containsExactly("storage.archive-directory " + file + " exists and is not a "
                + "directory");
    }
}
