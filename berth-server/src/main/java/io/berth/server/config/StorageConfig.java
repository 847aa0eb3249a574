package io.berth.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code data}: the filesystem root for blobs, the SQLite file and the keys Berth generates;
 * {@code storage.archive-directory}: where the blobs of archived images go (the archive storage class), by default
 * {@code archive/} under the data directory. Point it at a cheaper disk: blobs move there by rename on the same
 * filesystem, else by a durable copy.
 */
public record StorageConfig(Path data, Path archiveDirectory) {
    public static final ConfigKey DATA = ConfigKey.of("data", "./data");
    public static final ConfigKey ARCHIVE_DIRECTORY = ConfigKey.withoutDefault("storage.archive-directory")
            .shown("data/archive");

    static final ConfigSection<StorageConfig> SECTION = new ConfigSection<>("storage", List.of(DATA,
            ARCHIVE_DIRECTORY), StorageConfig::read);

    private static StorageConfig read(ConfigValues v) {
        Path data = v.path(DATA);
        if (data != null && Files.exists(data) && !Files.isDirectory(data)) {
            v.problem("data " + data + " exists and is not a directory");
        }
        Path archive = v.nonBlank(ARCHIVE_DIRECTORY).isPresent() ? v.path(ARCHIVE_DIRECTORY)
                : data == null ? null : data.resolve("archive");
        if (archive != null && Files.exists(archive) && !Files.isDirectory(archive)) {
            v.problem("storage.archive-directory " + archive + " exists and is not a directory");
        }
        return new StorageConfig(data, archive);
    }
}
