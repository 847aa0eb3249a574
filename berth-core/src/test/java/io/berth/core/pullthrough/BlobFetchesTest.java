package io.berth.core.pullthrough;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobFetchesTest {
    @TempDir
    Path data;

    @Test
    void abandonedSpools_removed_liveAndOtherFilesKept() throws Exception {
        Path dir = Files.createDirectories(data.resolve("pull-through-spool"));
        Path old = Files.writeString(dir.resolve("berth-pull-through-1.blob"), "half");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(7200)));
        Path live = Files.writeString(dir.resolve("berth-pull-through-2.blob"), "arriving");
        Path other = Files.writeString(dir.resolve("notes.txt"), "not a spool");
        Files.setLastModifiedTime(other, FileTime.from(Instant.now().minusSeconds(7200)));

        assertThat(new BlobFetches(dir).removeAbandoned(Instant.now())).isEqualTo(1);
        assertThat(old).doesNotExist();
        assertThat(live).exists();
        assertThat(other).exists();
        assertThat(new BlobFetches(data.resolve("never-made")).removeAbandoned(Instant.now())).isZero();
    }
}
