package io.berth.core.fs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files and directories that only the server's own user may read: the data directory holds the metadata database
 * (encrypted secrets, policies, the audit trail) and every pushed layer, which may be private images. The
 * permissions are given at creation (0600 files, 0700 directories), so nothing is readable by others even briefly,
 * whatever the process umask. On a filesystem without POSIX permissions the calls fall back to plain creation and
 * the directory's own access control must protect the data.
 */
public final class PrivateFiles {
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private PrivateFiles() {}

    /** Like {@link Files#createDirectories}, with every directory it creates owner-only. */
    public static Path createDirectories(Path dir) throws IOException {
        return POSIX ? Files.createDirectories(dir, attribute(DIRECTORY)) : Files.createDirectories(dir);
    }

    /** Like {@link Files#createDirectory}, owner-only. */
    public static Path createDirectory(Path dir) throws IOException {
        return POSIX ? Files.createDirectory(dir, attribute(DIRECTORY)) : Files.createDirectory(dir);
    }

    /** Like {@link Files#createFile}, mode 0600. */
    public static Path createFile(Path file) throws IOException {
        return POSIX ? Files.createFile(file, attribute(FILE)) : Files.createFile(file);
    }

    /** Creates {@code file}, mode 0600, holding {@code content} (synced to disk); fails if it exists. */
    public static void writeNew(Path file, String content) throws IOException {
        createFile(file);
        Files.write(file, content.getBytes(StandardCharsets.UTF_8), StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.SYNC);
    }

    /** Creates {@code file} with mode 0600 unless it exists (a file an operator made keeps its mode). */
    public static void createFileIfMissing(Path file) throws IOException {
        if (!Files.exists(file)) {
            try {
                createFile(file);
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another writer created it between the check and the create: fine, it exists
            }
        }
    }

    /**
     * Removes group and other permissions from an existing directory. Data directories created by earlier versions
     * were 0755, with a world-readable database inside; closing the directory protects everything under it at once.
     *
     * @return the permissions it had when they were wider than owner-only, else null (nothing changed)
     */
    public static String restrictDirectory(Path dir) throws IOException {
        if (!POSIX) {
            return null;
        }
        Set<PosixFilePermission> now = Files.getPosixFilePermissions(dir);
        Set<PosixFilePermission> owner = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : now) {
            if (p.name().startsWith("OWNER_")) {
                owner.add(p);
            }
        }
        if (owner.equals(now)) {
            return null;
        }
        Files.setPosixFilePermissions(dir, owner);
        return PosixFilePermissions.toString(now);
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> perms) {
        return PosixFilePermissions.asFileAttribute(perms);
    }
}
