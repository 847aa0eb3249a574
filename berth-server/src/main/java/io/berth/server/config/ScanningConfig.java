package io.berth.server.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code scanning.*}: vulnerability-data feeds the server keeps current by itself. Each URL (OSV zip or JSON, a
 * Debian DSA/DLA list, an Alpine secdb file: what {@code berth vulndb import} takes) is fetched at start and every
 * {@code feedInterval}, conditionally, and imported when it changed.
 *
 * @param feeds        http(s) URLs, comma-separated in the file or the environment; none by default
 * @param feedInterval how often they are checked; zero: only at start
 */
public record ScanningConfig(List<URI> feeds, Duration feedInterval) {
    public static final ConfigKey FEEDS = ConfigKey.of("scanning.feeds", "");
    public static final ConfigKey FEED_INTERVAL = ConfigKey.of("scanning.feed-interval", "24h");

    public ScanningConfig {
        feeds = List.copyOf(feeds);
    }

    static final ConfigSection<ScanningConfig> SECTION = new ConfigSection<>("scanning", List.of(FEEDS,
            FEED_INTERVAL), v -> new ScanningConfig(feeds(v), v.duration(FEED_INTERVAL)));

    private static List<URI> feeds(ConfigValues v) {
        List<URI> out = new ArrayList<>();
        for (String s : v.optional(FEEDS).orElse("").split(",")) {
            String url = s.trim();
            if (url.isEmpty()) {
                continue;
            }
            try {
                URI uri = new URI(url);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    v.problem("scanning.feeds: '" + url + "' is not an http:// or https:// URL");
                    continue;
                }
                out.add(uri);
            } catch (java.net.URISyntaxException e) {
                v.problem("scanning.feeds: '" + url + "' is not an http:// or https:// URL");
            }
        }
        return out;
    }
}
