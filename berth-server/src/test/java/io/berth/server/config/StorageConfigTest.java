package io.berth.server.config;

import static io.berth.server.config.ConfigAssertions.assertEnvironment;
import static io.berth.server.config.ConfigAssertions.assertFullMapping;
import static io.berth.server.config.ConfigAssertions.assertRecordedDefaults;
import static io.berth.server.config.ConfigAssertions.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaults_dataUnderTheWorkingDirectory() {
        Path data = Path.of("./data").toAbsolutePath().normalize();
        assertRecordedDefaults(StorageConfig.SECTION, new StorageConfig(data, data.resolve("archive"),
                StorageConfig.StorageType.FILESYSTEM, false, Optional.empty(), true));
    }

    @Test
    void everyKey() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("data", dir.resolve("d").toString());
        values.put("storage.archive-directory", dir.resolve("cold").toString());
        values.put("storage.type", "s3");
        values.put("storage.redirect", "true");
        values.put("storage.encrypt-at-rest", "false");
        values.put("storage.s3.bucket", "layers");
        values.put("storage.s3.prefix", "berth/prod");
        values.put("storage.s3.region", "eu-west-1");
        values.put("storage.s3.endpoint", "http://127.0.0.1:9000");
        values.put("storage.s3.path-style", "true");
        values.put("storage.s3.timeout", "5s");
        values.put("storage.s3.part-concurrency", "8");
        assertFullMapping(StorageConfig.SECTION, values,
                new StorageConfig(dir.resolve("d"), dir.resolve("cold"), StorageConfig.StorageType.S3, true,
                        Optional.of(
                        new StorageConfig.S3("layers", "berth/prod", "eu-west-1",
                                Optional.of(URI.create("http://127.0.0.1:9000")), true, Duration.ofSeconds(5), 8)),
                        false));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("data", "BERTH_DATA");
        env.put("storage.archive-directory", "BERTH_STORAGE_ARCHIVE_DIRECTORY");
        env.put("storage.type", "BERTH_STORAGE_TYPE");
        env.put("storage.redirect", "BERTH_STORAGE_REDIRECT");
        env.put("storage.encrypt-at-rest", "BERTH_STORAGE_ENCRYPT_AT_REST");
        env.put("storage.s3.bucket", "BERTH_STORAGE_S3_BUCKET");
        env.put("storage.s3.prefix", "BERTH_STORAGE_S3_PREFIX");
        env.put("storage.s3.region", "BERTH_STORAGE_S3_REGION");
        env.put("storage.s3.endpoint", "BERTH_STORAGE_S3_ENDPOINT");
        env.put("storage.s3.path-style", "BERTH_STORAGE_S3_PATH_STYLE");
        env.put("storage.s3.timeout", "BERTH_STORAGE_S3_TIMEOUT");
        env.put("storage.s3.part-concurrency", "BERTH_STORAGE_S3_PART_CONCURRENCY");
        assertEnvironment(StorageConfig.SECTION, env);
    }

    @Test
    void aFile_isNotADataDirectory() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertThat(problems(StorageConfig.SECTION, Map.of("data", file.toString())))
                .containsExactly("data " + file + " exists and is not a directory");
        assertThat(problems(StorageConfig.SECTION, Map.of("data", " "))).containsExactly("data must not be empty");
    }

    @Test
    void s3_needsABucketAndAUrlEndpoint() {
        assertThat(problems(StorageConfig.SECTION, Map.of("storage.type", "s3")))
                .containsExactly("storage.type s3 needs storage.s3.bucket");
        assertThat(problems(StorageConfig.SECTION, Map.of("storage.type", "s3", "storage.s3.bucket", "b",
                "storage.s3.endpoint", "127.0.0.1:9000")))
                .containsExactly("storage.s3.endpoint must be an http:// or https:// URL, got '127.0.0.1:9000'");
        assertThat(problems(StorageConfig.SECTION, Map.of("storage.type", "s3", "storage.s3.bucket", "b",
                "storage.s3.timeout", "10ms")))
                .containsExactly("storage.s3.timeout must be at least 100ms, got '10ms'");
        assertThat(problems(StorageConfig.SECTION, Map.of("storage.type", "s3", "storage.s3.bucket", "b",
                "storage.s3.part-concurrency", "0")))
                .containsExactly("storage.s3.part-concurrency must be at least 1, got 0");
        assertThat(problems(StorageConfig.SECTION, Map.of("storage.type", "s3", "storage.s3.bucket", "b",
                "storage.s3.part-concurrency", "65")))
                .containsExactly("storage.s3.part-concurrency must be at most 64, got 65");
        assertThat(problems(StorageConfig.SECTION, Map.of("storage.type", "minio")))
                .containsExactly("storage.type must be one of filesystem|s3, got 'minio'");
    }

    @Test
    void aBucketWithoutS3Type_isRefusedRatherThanIgnored() {
        assertThat(problems(StorageConfig.SECTION, Map.of("storage.s3.bucket", "b")))
                .containsExactly("storage.s3.bucket is set but storage.type is filesystem (set storage.type: s3)");
        assertThat(problems(StorageConfig.SECTION, Map.of("storage.redirect", "true"))).containsExactly(
                "storage.redirect needs storage.type s3: the filesystem store has no URL to redirect to");
    }
}
