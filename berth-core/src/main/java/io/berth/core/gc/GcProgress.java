package io.berth.core.gc;

/** Receives progress from a GC pass, for the CLI's progress display and for logs. */
public interface GcProgress {
    /** Called as work advances; {@code phase} is a short label, {@code done} counts items handled in it. */
    void update(String phase, long done, long bytes);

    /** Called before a phase whose number of items is known up front (the CLI then shows a percentage and ETA). */
    default void begin(String phase, long total) { }

    GcProgress NONE = (phase, done, bytes) -> { };
}
