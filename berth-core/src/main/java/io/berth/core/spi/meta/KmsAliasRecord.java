package io.berth.core.spi.meta;

import java.time.Instant;

/** An alias of the key service: {@code alias/<name>} pointing at one key of the same account. */
public record KmsAliasRecord(String aliasName, String keyId, Instant createdAt, Instant updatedAt) {}
