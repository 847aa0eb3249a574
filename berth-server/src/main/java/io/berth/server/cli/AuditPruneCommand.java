package io.berth.server.cli;

import io.berth.server.boot.BerthApp;
import io.berth.server.boot.Stores;
import io.berth.core.audit.AuditRetention;
import io.berth.server.config.BerthConfig;
import io.berth.server.config.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code berth admin prune-audit}: deletes audit events now, as the background prune of {@code serve} does (safe
 * while it runs: batches of short transactions). Without options, uses {@code audit.retention}.
 */
@Command(name = "prune-audit", mixinStandardHelpOptions = true,
        description = "Delete audit events older than a cutoff (default: audit.retention).")
final class AuditPruneCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--before", paramLabel = "ISO", description = "Delete events before this instant "
            + "(2025-01-31T00:00:00Z)")
    String before;

    @Option(names = "--older-than", paramLabel = "DURATION", description = "Delete events older than DURATION (90d)")
    String olderThan;

    @Override
    public Integer call() {
        BerthConfig config = common.load(Map.of());
        Instant cutoff;
        try {
            if (before != null && olderThan != null) {
                throw new IllegalArgumentException("give --before or --older-than, not both");
            }
            Duration age = olderThan != null ? Durations.parse(olderThan) : config.audit().retention();
            if (before == null && (age.isZero() || age.isNegative())) {
                throw new IllegalArgumentException("audit.retention is 0 (keep forever): give --before or "
                        + "--older-than");
            }
            cutoff = before != null ? Instant.parse(before) : Instant.now().minus(age);
        } catch (DateTimeParseException | IllegalArgumentException e) {
            System.err.println("berth: " + e.getMessage());
            return 2;
        }
        try (Stores stores = BerthApp.openStores(config)) {
            long pruned = new AuditRetention(stores.metadata(), stores.clock()).pruneBefore(cutoff);
            System.out.println("Pruned " + pruned + " audit events before " + cutoff);
        }
        return 0;
    }
}
