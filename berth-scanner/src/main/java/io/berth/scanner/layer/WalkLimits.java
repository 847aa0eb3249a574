package io.berth.scanner.layer;

/**
 * The bounds that keep a hostile layer from costing more than a real one: each exceeded bound fails the scan with
 * {@code LIMIT_EXCEEDED} instead of filling the heap, the disk or the CPU.
 *
 * @param maxEntryBytes        the largest size one tar entry may declare
 * @param maxUncompressedBytes the most bytes all layers of one image may decompress to (tar bombs, gzip bombs)
 * @param maxEntries           the most tar entries across all layers
 * @param maxPathDepth         the most components one entry path may have
 * @param maxPathLength        the longest entry path, in characters (PATH_MAX is 4096)
 * @param maxKeptBytes         the most bytes held in memory for the finders: kept files, symlinks, found packages
 */
public record WalkLimits(long maxEntryBytes, long maxUncompressedBytes, long maxEntries, int maxPathDepth,
                         int maxPathLength, long maxKeptBytes) {

    /** Generous for real images (the largest public ones decompress to tens of GiB), small enough to stop bombs. */
    public static final WalkLimits DEFAULT = new WalkLimits(16L << 30, 64L << 30, 2_000_000, 256, 4096, 256L << 20);
}
