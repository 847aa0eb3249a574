package io.berth.metadata.jdbc;

import io.berth.core.spi.meta.MetadataStore;
import java.nio.file.Path;

class PostgresRegistryServiceIT extends AbstractRegistryServiceTest {
    @Override
    protected MetadataStore newMetadataStore(Path dir) {
        return PostgresTestSchema.openStore();
    }
}
