package io.berth.core.gc;

/** Receives progress from a GC pass, for the CLI's progress display and for logs. */
public interface GcProgress {
    /** Called as work advances; {@code phase} is a short label, {@code done} counts items handled in it. */
    void update(String phase, long done, long bytes);

    GcProgress NONE = (phase, done, bytes) -> { };
}
