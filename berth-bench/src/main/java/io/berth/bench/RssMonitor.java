package io.berth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples the resident set size of a server process and all of its descendants every 100 ms (a launcher script may
 * fork java rather than exec it). The peak reported is the larger of the highest sampled sum of VmRSS over the
 * process tree and the highest VmHWM (the kernel's own peak RSS) of any single process in it.
 */
final class RssMonitor implements AutoCloseable {

    private final ProcessHandle root;
    private final Thread thread;
    private final Map<Long, Long> hwmKiB = new HashMap<>();
    private volatile boolean running = true;
    private long peakTreeSumKiB;

    RssMonitor(ProcessHandle root) {
        this.root = root;
        this.thread = new Thread(this::loop, "rss-monitor");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void loop() {
        while (running) {
            sample();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void sample() {
        long sum = 0;
        List<ProcessHandle> tree = new java.util.ArrayList<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        for (ProcessHandle p : tree) {
            long[] v = read(p.pid());
            if (v == null) {
                continue;
            }
            sum += v[0];
            hwmKiB.merge(p.pid(), v[1], Math::max);
        }
        peakTreeSumKiB = Math.max(peakTreeSumKiB, sum);
    }

    /** Returns {VmRSS, VmHWM} in KiB, or null if the process is gone. */
    private static long[] read(long pid) {
        try {
            long rss = -1;
            long hwm = -1;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kib(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kib(line);
                }
            }
            return rss < 0 ? null : new long[] {rss, Math.max(hwm, rss)};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long kib(String line) {
        String[] parts = line.trim().split("\\s+");
        return Long.parseLong(parts[1]);
    }

    /** Peak RSS in MiB observed so far (takes a fresh sample first). */
    synchronized double peakMiB() {
        sample();
        long maxHwm = hwmKiB.values().stream().mapToLong(Long::longValue).max().orElse(0);
        return Math.max(peakTreeSumKiB, maxHwm) / 1024.0;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
