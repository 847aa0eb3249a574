package io.berth.metadata.jdbc;

import io.berth.core.spi.meta.AbstractWebhookStoreContractTest;
import io.berth.core.spi.meta.MetadataStore;
import java.nio.file.Path;

/** Against the machine's PostgreSQL; every test gets a schema of its own (see {@link PostgresTestSchema}). */
class PostgresWebhookStoreIT extends AbstractWebhookStoreContractTest {
    @Override
    protected MetadataStore newStore(Path dir) { return PostgresTestSchema.openStore(); }
}
