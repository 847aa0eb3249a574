package io.berth.server.it;

import io.berth.server.config.LifecycleConfig;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AbstractLifecyclePreviewIT} with the metadata in SQLite, as {@code berth serve} keeps it by default. */
class LifecyclePreviewIT extends AbstractLifecyclePreviewIT {
    @RegisterExtension
    static final TestServer server = new TestServer().with(LifecycleConfig.INTERVAL, "0");

    @Override
    TestServer server() { return server; }
}
