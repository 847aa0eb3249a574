package io.berth.server.cli;

import io.berth.server.boot.BerthApp;
import io.berth.server.boot.ByteCounts;
import io.berth.server.boot.Stores;
import io.berth.core.gc.GcProgress;
import io.berth.core.gc.GcReport;
import io.berth.server.config.BerthConfig;
import io.berth.server.config.GcConfig;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code berth gc}: one GC pass against the same data directory and database as {@code serve}. Safe while the
 * server runs, because GC is online (grace period plus the metadata protocol), not stop-the-world.
 */
@Command(name = "gc", mixinStandardHelpOptions = true,
        description = "Remove unreferenced blobs and abandoned uploads older than the grace period.")
public final class GcCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--dry-run", description = "Report what would be removed, remove nothing")
    boolean dryRun;

    @Option(names = "--grace", paramLabel = "DURATION", description = "Keep anything younger than this (default 24h)")
    String grace;

    @Override
    public Integer call() {
        BerthConfig config = common.load(keys());
        PrintStream err = System.err;
        try (Stores stores = BerthApp.openStores(config)) {
            ProgressLine progress = new ProgressLine(err, System.console() != null);
            GcReport r = stores.garbageCollector(config.gc().grace()).run(dryRun, progress);
            progress.clear();
            System.out.println(report(r));
        }
        return 0;
    }

    /** The configuration keys this command's own options set (only those given). */
    Map<String, String> keys() {
        Map<String, String> cli = new HashMap<>();
        cli.put(GcConfig.GRACE.name(), grace);
        return cli;
    }

    static String report(GcReport r) {
        String verb = r.dryRun() ? "Dry run: would remove " : "Removed ";
        return verb + r.blobsRemoved() + " blobs (" + ByteCounts.format(r.bytesRemoved()) + ") and " + r.uploadsRemoved()
                + " upload sessions (" + ByteCounts.format(r.uploadBytesRemoved()) + "); examined " + r.blobsScanned()
                + " unreferenced blobs. Total "
                + ByteCounts.format(r.bytesRemoved() + r.uploadBytesRemoved()) + (r.dryRun() ? " would be freed." : " freed.");
    }

    /** One updating stderr line ({@code \r}) on a terminal, throttled to 10 per second; phase changes otherwise. */
    static final class ProgressLine implements GcProgress {
        private final PrintStream out;
        private final boolean tty;
        private long lastNanos;
        private String lastPhase;
        private int width;

        ProgressLine(PrintStream out, boolean tty) {
            this.out = out;
            this.tty = tty;
        }

        @Override
        public synchronized void update(String phase, long done, long bytesSoFar) {
            long now = System.nanoTime();
            boolean newPhase = !phase.equals(lastPhase);
            if (!newPhase && now - lastNanos < 100_000_000L) {
                return;
            }
            lastNanos = now;
            lastPhase = phase;
            String line = String.format(Locale.ROOT, "gc: %-10s %,12d items %12s", phase, done, ByteCounts.format(bytesSoFar));
            if (tty) {
                out.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
                width = line.length();
                out.flush();
            } else if (newPhase) {
                out.println(line);
            }
        }

        synchronized void clear() {
            if (tty && width > 0) {
                out.print("\r" + " ".repeat(width) + "\r");
                out.flush();
            }
        }
    }
}
