package io.berth.server.config;

import static io.berth.server.config.ConfigAssertions.assertEnvironment;
import static io.berth.server.config.ConfigAssertions.assertFullMapping;
import static io.berth.server.config.ConfigAssertions.assertRecordedDefaults;
import static io.berth.server.config.ConfigAssertions.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScanningConfigTest {
    @Test
    void defaults_noFeeds() {
        assertRecordedDefaults(ScanningConfig.SECTION, new ScanningConfig(List.of(), Duration.ofHours(24)));
    }

    @Test
    void everyKey_feedsCommaSeparated() {
        assertFullMapping(ScanningConfig.SECTION, Map.of("scanning.feeds",
                "https://security-tracker.debian.org/tracker/data/DSA/list, https://example.org/osv/PyPI/all.zip",
                "scanning.feed-interval", "6h"), new ScanningConfig(List.of(
                URI.create("https://security-tracker.debian.org/tracker/data/DSA/list"),
                URI.create("https://example.org/osv/PyPI/all.zip")), Duration.ofHours(6)));
        assertEnvironment(ScanningConfig.SECTION, Map.of("scanning.feeds", "BERTH_SCANNING_FEEDS",
                "scanning.feed-interval", "BERTH_SCANNING_FEED_INTERVAL"));
    }

    @Test
    void aFeedThatIsNotAnHttpUrl_isRefusedByName() {
        assertThat(problems(ScanningConfig.SECTION, Map.of("scanning.feeds", "file:///tmp/list,ftp://x/y")))
                .containsExactly("scanning.feeds: 'file:///tmp/list' is not an http:// or https:// URL",
                        "scanning.feeds: 'ftp://x/y' is not an http:// or https:// URL");
    }
}
