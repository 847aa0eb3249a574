package io.berth.metadata.jdbc;

import io.berth.core.spi.meta.AbstractPullThroughRuleStoreContractTest;
import io.berth.core.spi.meta.MetadataStore;
import java.nio.file.Path;

/** Against the machine's PostgreSQL; every test gets a schema of its own (see {@link PostgresTestSchema}). */
class PostgresPullThroughRuleStoreIT extends AbstractPullThroughRuleStoreContractTest {
    @Override
    protected MetadataStore newStore(Path dir) { return PostgresTestSchema.openStore(); }
}
