package io.berth.core.spi.meta;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface UploadStore {

    void create(UploadRecord upload);

    Optional<UploadRecord> get(String uploadId);

    boolean delete(String uploadId);

    /** Sessions started before {@code cutoff}, oldest first, at most {@code limit}. */
    List<UploadRecord> startedBefore(Instant cutoff, int limit);
}
