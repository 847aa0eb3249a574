package io.berth.core.spi.meta;

/** Where a job stands. QUEUED and RUNNING are unfinished; the other three are final until an operator retries. */
public enum JobState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean finished() {
        return this != QUEUED && this != RUNNING;
    }
}
