package io.berth.core.blob.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Moves a committed blob between the standard and the archive tier of a {@link FileSystemBlobStore}. */
final class TierMove {
    private TierMove() {}

    /**
     * Moves a blob file to the other tier, durably. When the target exists already (a crash after the copy, or the
     * blob committed again), the target is kept: both are the same verified bytes.
     */
    static boolean move(FileSystemBlobStore store, Path from, Path to) throws IOException {
        if (Files.exists(to)) {
            Files.deleteIfExists(from);
            return true;
        }
        if (!Files.exists(from)) {
            return false;
        }
        store.ensureDurableDirectory(to.getParent());
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            // another filesystem: copy beside the target, fsync, rename into place, and only then drop the source
            Path partial = to.resolveSibling(to.getFileName() + ".partial");
            Files.copy(from, partial, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(partial, to, StandardCopyOption.ATOMIC_MOVE);
            FileSystemBlobStore.fsyncDirectory(to.getParent());
            Files.delete(from);
        } catch (NoSuchFileException e) {
            return Files.exists(to); // moved or deleted concurrently
        }
        FileSystemBlobStore.fsyncDirectory(to.getParent());
        FileSystemBlobStore.fsyncDirectory(from.getParent());
        return true;
    }
}
