package io.berth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Machine facts for the report header, read from /proc and the tools themselves. */
final class Machine {

    private Machine() {
    }

    static String summary() {
        String model = "unknown CPU";
        boolean shaNi = false;
        long memKiB = 0;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name") && model.startsWith("unknown")) {
                    model = l.substring(l.indexOf(':') + 1).trim();
                } else if (l.startsWith("flags")) {
                    shaNi |= l.contains(" sha_ni");
                }
            }
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    memKiB = Long.parseLong(l.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort
        }
        return String.format(Locale.ROOT, "nproc %d, %s%s, %.1f GiB RAM, %s %s",
                Runtime.getRuntime().availableProcessors(), model, shaNi ? " (SHA-NI)" : "",
                memKiB / 1024.0 / 1024.0, System.getProperty("os.name"), System.getProperty("os.version"));
    }

    /** The 1-minute load average, or "?" if unreadable. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** First line printed by {@code cmd}, or "" if it cannot be run. */
    static String firstLine(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor();
            return out.lines().findFirst().orElse("");
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }
}
