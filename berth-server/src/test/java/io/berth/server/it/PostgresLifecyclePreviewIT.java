package io.berth.server.it;

import io.berth.server.config.LifecycleConfig;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AbstractLifecyclePreviewIT} with the metadata in PostgreSQL (a throw-away schema). */
class PostgresLifecyclePreviewIT extends AbstractLifecyclePreviewIT {
    @RegisterExtension
    static final TestServer server = new TestServer().with(LifecycleConfig.INTERVAL, "0").onPostgres();

    @Override
    TestServer server() { return server; }
}
