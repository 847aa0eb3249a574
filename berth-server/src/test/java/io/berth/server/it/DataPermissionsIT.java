package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.server.config.AuditConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 7, item 13: the data directory was world-readable ({@code berth.db}, its WAL, {@code blobs/} and
 * {@code uploads/} were 0644 and 0755, and so was the audit file). The server now starts on a data directory left
 * at 0755 by an earlier version, a push and an audited call write every kind of file, and nothing under the data
 * directory, nor the audit file, may be readable, writable or searchable by group or others.
 */
class DataPermissionsIT {
    @RegisterExtension
    static final TestServer server = new TestServer().withDataDirectoryMode("rwxr-xr-x");
    private static Path auditFile;

    static {
        try {
            auditFile = Files.createTempDirectory("berth-audit").resolve("trail/audit.jsonl");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
        server.with(AuditConfig.FILE, auditFile.toString());
    }

    @Test
    void everythingTheServerWrites_isOwnerOnly() throws Exception {
        byte[] layer = "layer bytes of a private image".getBytes(StandardCharsets.UTF_8);
        Digest layerDigest = server.pushBlob("perm/app", layer);
        Digest config = server.pushBlob("perm/app", Fixtures.EMPTY_JSON);
        assertThat(server.putManifest("perm/app", "v1", MediaTypes.OCI_MANIFEST,
                Fixtures.ociManifest(config, 2, layerDigest, layer.length)).statusCode()).isEqualTo(201);
        // an upload left open keeps its session directory and data file under uploads/
        assertThat(server.send("POST", "/v2/perm/app/blobs/uploads/", null).statusCode()).isEqualTo(202);
        awaitAuditFile();

        List<String> exposed = new ArrayList<>();
        try (Stream<Path> all = Files.walk(server.data())) {
            all.forEach(p -> collectExposed(p, exposed));
        }
        for (Path p = auditFile; p != null && !p.equals(auditFile.getParent().getParent()); p = p.getParent()) {
            collectExposed(p, exposed);
        }
        assertThat(Files.exists(server.data().resolve("berth.db-wal"))).as("the WAL exists and was checked")
                .isTrue();
        assertThat(exposed).as("paths with group/other permissions after a push and an audited call").isEmpty();
    }

    private static void collectExposed(Path p, List<String> exposed) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (perms.stream().anyMatch(x -> !x.name().startsWith("OWNER_"))) {
                exposed.add(p + " " + PosixFilePermissions.toString(perms));
            }
        } catch (java.nio.file.NoSuchFileException gone) {
            // a temporary file that was renamed away while walking
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void awaitAuditFile() throws InterruptedException {
        for (int i = 0; i < 100 && !Files.exists(auditFile); i++) {
            Thread.sleep(50);
        }
        assertThat(auditFile).as("the audit trail's JSON-lines file").exists();
    }
}
