package io.berth.core.job;

import io.berth.core.spi.meta.JobRecord;

/** What a {@link JobHandler} sees of its job: the row as claimed, and a way to report progress. */
public interface JobContext {

    /** The job as this attempt claimed it ({@code attempts} counts this one). */
    JobRecord job();

    /**
     * Reports progress, shown by {@code berth admin jobs}. Written at most once a second (the last report of a burst
     * may wait for the next), so a handler may call it per item.
     *
     * @param percent 0..100, or null when the handler cannot tell
     */
    void progress(String text, Integer percent);
}
