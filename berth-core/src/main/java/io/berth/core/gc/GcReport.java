package io.berth.core.gc;

/** What one GC pass removed (or, in a dry run, would remove). */
public record GcReport(boolean dryRun, long blobsRemoved, long bytesRemoved, long uploadsRemoved,
                       long uploadBytesRemoved, long orphanFilesRemoved, long blobsScanned) {}
