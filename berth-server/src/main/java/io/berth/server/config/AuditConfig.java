package io.berth.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code audit.*}: the audit trail always goes to the metadata database; {@code file} adds a JSON-lines copy.
 * Events older than {@code retention} (zero: never) are pruned every {@code pruneInterval} (zero: never).
 */
public record AuditConfig(Optional<Path> file, Duration retention, Duration pruneInterval) {
    /** Also append audit events as JSON lines to this file (for log shippers); unset: database only. */
    public static final ConfigKey FILE = ConfigKey.withoutDefault("audit.file");
    /** Audit events older than this are pruned in the background (CloudTrail keeps 90 days); {@code 0} keeps all. */
    public static final ConfigKey RETENTION = ConfigKey.of("audit.retention", "90d");
    /** How often the background prune runs. */
    public static final ConfigKey PRUNE_INTERVAL = ConfigKey.of("audit.prune-interval", "1h");

    static final ConfigSection<AuditConfig> SECTION = new ConfigSection<>("audit",
            List.of(FILE, RETENTION, PRUNE_INTERVAL),
            v -> new AuditConfig(v.nonBlank(FILE).map(Path::of), v.duration(RETENTION), v.duration(PRUNE_INTERVAL)));
}
