package io.berth.scanner.layer;

/**
 * Decides, from a regular file's path, size and mode alone, what the walker does with its bytes. Everything not
 * selected is skipped unread (the tar stream still passes over it to verify the layer's digest).
 */
@FunctionalInterface
public interface Selector {

    Action select(String path, long size, int mode);

    sealed interface Action {}

    /** Not wanted. */
    record Skip() implements Action {}

    /** Keep the bytes for a finder, up to {@code cap}; a larger file fails the scan (a bomb, or data we'd misread). */
    record Keep(long cap) implements Action {}

    /** Stream the bytes through an analyzer now. */
    record Analyze(StreamAnalyzer analyzer) implements Action {}

    Skip SKIP = new Skip();
}
