package io.berth.core.spi.meta;

import java.time.Instant;

/** An upload session bound to the repository it was started in. */
public record UploadRecord(String uploadId, long repositoryId, Instant startedAt) {}
