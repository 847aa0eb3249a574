package io.berth.server.cli;

import io.berth.server.boot.BerthApp;
import io.berth.server.boot.ByteCounts;
import io.berth.server.boot.Stores;
import io.berth.core.gc.GcProgress;
import io.berth.core.gc.GcReport;
import io.berth.server.config.BerthConfig;
import io.berth.server.config.GcConfig;
import java.util.HashMap;
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
        try (Stores stores = BerthApp.openStores(config)) {
            ProgressLine progress = new ProgressLine(Progress.onStderr("gc"));
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

    /** GC's phases on the shared {@link Progress} display: items handled, and the bytes they held. */
    static final class ProgressLine implements GcProgress {
        private final Progress progress;
        private String phase;

        ProgressLine(Progress progress) {
            this.progress = progress;
        }

        @Override
        public synchronized void begin(String name, long total) {
            phase = name;
            progress.phase(name, total);
        }

        @Override
        public synchronized void update(String name, long done, long bytesSoFar) {
            if (!name.equals(phase)) {
                begin(name, -1);
            }
            progress.update(done, ByteCounts.format(bytesSoFar));
        }

        void clear() {
            progress.clear();
        }
    }
}
