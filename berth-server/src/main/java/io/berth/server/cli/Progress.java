package io.berth.server.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a long command on stderr. On a terminal one line updates in place ({@code \r}, at most ten times a
 * second) with a percentage and an ETA once the total is known, a count otherwise. Anywhere else (a log file, CI,
 * a pipe) it prints plain lines that stay readable: one when a phase starts, then one every tenth of the total (or
 * every 30 s when the total is unknown), so a log shows the pace without an update per item.
 */
final class Progress {
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final long PLAIN_EVERY_NANOS = 30_000_000_000L;

    private final PrintStream out;
    private final boolean tty;
    private final String label;
    private final LongSupplier nanos;
    private String phase;
    private long total = -1;
    private long phaseStart;
    private long lastDraw;
    private int lastTenth;
    private int width;

    Progress(PrintStream out, boolean tty, String label, LongSupplier nanos) {
        this.out = out;
        this.tty = tty;
        this.label = label;
        this.nanos = nanos;
    }

    /** On stderr, as a terminal when the JVM has a console. */
    static Progress onStderr(String label) {
        return new Progress(System.err, System.console() != null, label, System::nanoTime);
    }

    /** Starts a phase; {@code total} is the number of items it has, or -1 when unknown. */
    synchronized void phase(String name, long total) {
        this.phase = name;
        this.total = total;
        this.phaseStart = nanos.getAsLong();
        this.lastDraw = phaseStart;
        this.lastTenth = 0;
        draw(line(0, ""), true);
    }

    /** {@code done} items of the phase so far; {@code detail} is shown after the count (bytes, advisories). */
    synchronized void update(long done, String detail) {
        long now = nanos.getAsLong();
        String line = line(done, detail);
        if (tty) {
            if (now - lastDraw >= REDRAW_NANOS) {
                lastDraw = now;
                draw(line, false);
            }
            return;
        }
        int tenth = total > 0 ? (int) Math.min(10, done * 10 / total) : 0;
        if (total > 0 ? tenth > lastTenth : now - lastDraw >= PLAIN_EVERY_NANOS) {
            lastTenth = tenth;
            lastDraw = now;
            draw(line, true);
        }
    }

    /** Clears the terminal line, so the command's summary on stdout starts on a clean line. */
    synchronized void clear() {
        if (tty && width > 0) {
            out.print("\r" + " ".repeat(width) + "\r");
            out.flush();
            width = 0;
        }
    }

    String line(long done, String detail) {
        StringBuilder b = new StringBuilder(label).append(": ").append(phase);
        if (total > 0) {
            long pct = Math.min(100, done * 100 / total);
            b.append(String.format(Locale.ROOT, " %3d%% (%,d/%,d)", pct, done, total));
            eta(done).ifPresentOrElse(d -> b.append(" ETA ").append(clock(d)), () -> { });
        } else {
            b.append(String.format(Locale.ROOT, " %,d", done));
        }
        if (!detail.isEmpty()) {
            b.append(' ').append(detail);
        }
        return b.toString();
    }

    /** Remaining time at the phase's average rate so far; none before the first item or once all are done. */
    java.util.Optional<Duration> eta(long done) {
        long elapsed = nanos.getAsLong() - phaseStart;
        if (done <= 0 || total <= 0 || done >= total || elapsed <= 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(Duration.ofNanos((long) ((double) elapsed / done * (total - done))));
    }

    static String clock(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private void draw(String line, boolean plainLine) {
        if (tty) {
            out.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
            width = line.length();
            out.flush();
        } else if (plainLine) {
            out.println(line);
        }
    }
}
