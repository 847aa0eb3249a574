package io.berth.core.service;

import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.TagMutability;
import io.berth.core.spi.meta.RepositoryRecord;
import io.berth.core.spi.meta.RepositorySettings;
import java.time.Instant;
import java.util.List;

/**
 * A repository as the services hand it to the HTTP planes: the metadata row without its surrogate key, so that no
 * plane depends on the storage SPI's row types, which stay free to change with their backends.
 */
public record RepositoryView(RegistryId registryId, RepositoryName name, Instant createdAt, Settings settings) {

    /**
     * What a repository records besides its name: tag mutability and its exclusion filters (enforced on every
     * push), and the scanning and encryption settings ECR reports back (recorded, not acted on).
     *
     * @param encryptionType {@code AES256} (default), {@code KMS} or {@code KMS_DSSE}
     * @param kmsKey         the KMS key ARN or ID when given, else null
     */
    public record Settings(TagMutability tagMutability, List<String> exclusionFilters, boolean scanOnPush,
                           String encryptionType, String kmsKey) {
        public static final Settings DEFAULT = of(RepositorySettings.DEFAULT);

        public Settings {
            exclusionFilters = exclusionFilters == null ? List.of() : List.copyOf(exclusionFilters);
        }

        static Settings of(RepositorySettings s) {
            return new Settings(s.tagMutability(), s.exclusionFilters(), s.scanOnPush(), s.encryptionType(),
                    s.kmsKey());
        }

        RepositorySettings stored() {
            return new RepositorySettings(tagMutability, exclusionFilters, scanOnPush, encryptionType, kmsKey);
        }
    }

    static RepositoryView of(RepositoryRecord r) {
        return new RepositoryView(r.registryId(), r.name(), r.createdAt(), Settings.of(r.settings()));
    }
}
