package io.berth.core.spi.meta;

import io.berth.core.model.TagMutability;
import java.util.List;

/**
 * What a repository records besides its name: tag mutability and its exclusion filters (enforced on every push),
 * the deprecated {@code scanOnPush} (honoured under BASIC scanning), and the encryption settings.
 *
 * @param encryptionType {@code AES256} (default), {@code KMS} or {@code KMS_DSSE}
 * @param kmsKey         the KMS key ARN or ID when given, else null
 */
public record RepositorySettings(TagMutability tagMutability, List<String> exclusionFilters, boolean scanOnPush,
                                 String encryptionType, String kmsKey) {

    public static final RepositorySettings DEFAULT =
            new RepositorySettings(TagMutability.MUTABLE, List.of(), false, "AES256", null);

    public RepositorySettings {
        exclusionFilters = exclusionFilters == null ? List.of() : List.copyOf(exclusionFilters);
    }

    public boolean isImmutable(String tag) {
        return tagMutability.isImmutable(tag, exclusionFilters);
    }

    public RepositorySettings withMutability(TagMutability mutability, List<String> filters) {
        return new RepositorySettings(mutability, filters, scanOnPush, encryptionType, kmsKey);
    }

    public RepositorySettings withScanOnPush(boolean scan) {
        return new RepositorySettings(tagMutability, exclusionFilters, scan, encryptionType, kmsKey);
    }
}
