package io.berth.core.audit;

import io.berth.core.fs.PrivateFiles;
import io.berth.core.spi.meta.AuditEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Appends one JSON object per line ({@link AuditJson}) to a file for log shippers, flushed after every batch. The
 * file is opened per batch in append mode, so a shipper may rotate it (rename) at any time, and {@code berth admin}
 * in another process can append to the same file without interleaving lines within a batch of ours.
 */
public final class JsonLinesAuditSink implements AuditSink {
    private final Path file;

    public JsonLinesAuditSink(Path file) {
        this.file = file;
    }

    @Override
    public synchronized void write(List<AuditEvent> batch) {
        StringBuilder sb = new StringBuilder(batch.size() * 512);
        for (AuditEvent e : batch) {
            sb.append(AuditJson.line(e)).append('\n');
        }
        try {
            if (file.getParent() != null) {
                PrivateFiles.createDirectories(file.getParent());
            }
            PrivateFiles.createFileIfMissing(file); // the trail names users and repositories: 0600
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
                w.write(sb.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append audit events to " + file, e);
        }
    }

    @Override
    public String toString() { return "file " + file; }
}
