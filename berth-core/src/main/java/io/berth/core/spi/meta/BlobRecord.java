package io.berth.core.spi.meta;

import io.berth.core.model.Digest;
import java.time.Instant;

/** A blob the blob store holds. {@code lastSeen} is when it was last uploaded or mounted: GC's grace clock. */
public record BlobRecord(Digest digest, long size, Instant lastSeen) {}
