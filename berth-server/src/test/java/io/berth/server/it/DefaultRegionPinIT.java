package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.server.boot.BerthApp;
import io.berth.server.config.ConfigLoader;
import io.berth.server.config.GcConfig;
import io.berth.server.config.HttpConfig;
import io.berth.server.config.RegionsConfig;
import io.berth.server.config.StorageConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default region's registries are stored region-less, so the database records which region that is on the
 * first start: a later start listing another region first is refused (the data would silently change region),
 * while adding regions after it is fine.
 */
class DefaultRegionPinIT {
    @TempDir
    Path data;

    BerthApp start(String regions) throws Exception {
        return BerthApp.start(ConfigLoader.load(Optional.empty(), Map.of("BERTH_ROOT_ACCESS_KEY_ID",
                TestServer.ROOT_KEY_ID, "BERTH_ROOT_SECRET_ACCESS_KEY", TestServer.ROOT_SECRET), Map.of(
                HttpConfig.LISTEN.name(), "127.0.0.1:0", StorageConfig.DATA.name(), data.toString(),
                GcConfig.INTERVAL.name(), "0", RegionsConfig.REGIONS.name(), regions)));
    }

    @Test
    void anotherFirstRegion_refused_moreRegionsAfterIt_fine() throws Exception {
        start("us-east-1").stop();
        assertThatThrownBy(() -> start("eu-west-1,us-east-1")).hasMessageContaining(
                "this deployment's default region is us-east-1").hasMessageContaining("list us-east-1 first");
        BerthApp again = start("us-east-1,eu-west-1");
        try {
            assertThat(again.server().port()).isPositive();
        } finally {
            again.stop();
        }
        assertThat(Files.exists(data.resolve("berth.db"))).isTrue();
    }
}
