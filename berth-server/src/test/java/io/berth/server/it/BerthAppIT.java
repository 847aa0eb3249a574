package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.server.boot.BerthApp;
import io.berth.server.config.BerthConfig;
import io.berth.server.config.ConfigLoader;
import io.berth.server.config.GcConfig;
import io.berth.server.config.HttpConfig;
import io.berth.server.config.StorageConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@link BerthApp} starts and stops, beyond what every other IT exercises through {@link TestServer}. */
class BerthAppIT {
    @TempDir
    Path dir;

    private BerthConfig config(String listen, Path data, String gcInterval) {
        return ConfigLoader.load(Optional.empty(), Map.of(), Map.of(HttpConfig.LISTEN.name(), listen,
                StorageConfig.DATA.name(), data.toString(), GcConfig.INTERVAL.name(), gcInterval));
    }

    /** The job runners' control threads alive in this JVM (one per started app). */
    private static long jobRunnerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("berth-jobs")).count();
    }

    @Test
    void aFailedStart_stopsTheBackgroundServicesItHadStarted() throws Exception {
        BerthApp holder = BerthApp.start(config("127.0.0.1:0", dir.resolve("holder"), "0"));
        try {
            String taken = "127.0.0.1:" + holder.server().port();
            long before = jobRunnerThreads();
            assertThat(before).as("job runner threads with the holder running").isGreaterThanOrEqualTo(1);
            assertThatThrownBy(() -> BerthApp.start(config(taken, dir.resolve("second"), "1h")))
                    .as("the port is taken, so the server cannot start").isInstanceOf(Exception.class);
            for (int i = 0; i < 100 && jobRunnerThreads() > before; i++) {
                Thread.sleep(20);
            }
            assertThat(jobRunnerThreads()).as("the failed app's job runner, started before the server, was "
                    + "stopped").isEqualTo(before);
        } finally {
            holder.stop();
        }
    }

    @Test
    void stop_isSafeTwice_andTheDataOpensAgain() throws Exception {
        BerthConfig config = config("127.0.0.1:0", dir.resolve("d"), "1h");
        BerthApp app = BerthApp.start(config);
        app.stop();
        app.stop();
        try (var stores = BerthApp.openStores(config)) {
            assertThat(stores.metadata().describe()).as("the database closed cleanly and reopens").isNotBlank();
        }
    }
}
