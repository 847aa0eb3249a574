package io.berth.scanner.vulndb;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One imported source as {@code berth vulndb status} shows it.
 *
 * @param advisories      stored advisories (one per vulnerability and package)
 * @param vulnerabilities distinct vulnerability IDs
 * @param perEcosystem    advisories per ecosystem (with the release, as "Debian:bullseye"), sorted by name
 * @param newest          the newest modification date among them, or null if the source dates none
 */
public record SourceStatus(String source, String format, long advisories, long vulnerabilities,
                           Map<String, Long> perEcosystem, Instant newest, Instant importedAt) {
    public SourceStatus {
        perEcosystem = Collections.unmodifiableMap(new TreeMap<>(perEcosystem));
    }
}
