package io.berth.core.gc;

/**
 * What one GC pass removed (or, in a dry run, would remove).
 *
 * @param blobsScanned unreferenced blob records examined (those past the grace period)
 */
public record GcReport(boolean dryRun, long blobsScanned, long blobsRemoved, long bytesRemoved, long uploadsRemoved,
                       long uploadBytesRemoved) {

    public String summary() {
        String verb = dryRun ? "would remove" : "removed";
        return String.format("GC %s %d blob%s (%s) and %d abandoned upload%s (%s)", verb, blobsRemoved,
                blobsRemoved == 1 ? "" : "s", Bytes.human(bytesRemoved), uploadsRemoved,
                uploadsRemoved == 1 ? "" : "s", Bytes.human(uploadBytesRemoved));
    }
}
