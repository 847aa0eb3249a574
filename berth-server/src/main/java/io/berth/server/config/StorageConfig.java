package io.berth.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code data}: the filesystem root for blobs, the SQLite file and the keys Berth generates. */
public record StorageConfig(Path data) {
    public static final ConfigKey DATA = ConfigKey.of("data", "./data");

    static final ConfigSection<StorageConfig> SECTION = new ConfigSection<>("storage", List.of(DATA),
            StorageConfig::read);

    private static StorageConfig read(ConfigValues v) {
        Path data = v.path(DATA);
        if (data != null && Files.exists(data) && !Files.isDirectory(data)) {
            v.problem("data " + data + " exists and is not a directory");
        }
        return new StorageConfig(data);
    }
}
