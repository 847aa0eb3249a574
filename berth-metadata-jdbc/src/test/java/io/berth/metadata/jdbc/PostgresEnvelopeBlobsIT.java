package io.berth.metadata.jdbc;

import io.berth.core.envelope.AbstractEnvelopeBlobsTest;
import io.berth.core.spi.meta.MetadataStore;
import java.nio.file.Path;

/** Against the machine's PostgreSQL; every test gets a schema of its own (see {@link PostgresTestSchema}). */
class PostgresEnvelopeBlobsIT extends AbstractEnvelopeBlobsTest {
    @Override
    protected MetadataStore newStore(Path dir) { return PostgresTestSchema.openStore(); }
}
