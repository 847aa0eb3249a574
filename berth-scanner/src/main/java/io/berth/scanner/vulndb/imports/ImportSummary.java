package io.berth.scanner.vulndb.imports;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one import read: records seen, advisories stored per ecosystem (with release), records skipped on purpose
 * (withdrawn, not affected, an ecosystem Berth cannot compare) and records rejected as malformed, each counted by
 * reason. A rejected record is never stored in part and never stops the import.
 */
public final class ImportSummary {
    private final String source;
    private final String format;
    private long records;
    private final Map<String, Long> stored = new TreeMap<>();
    private final Map<String, Long> skipped = new TreeMap<>();
    private final Map<String, Long> rejected = new TreeMap<>();

    public ImportSummary(String source, String format) {
        this.source = source;
        this.format = format;
    }

    public String source() { return source; }

    public String format() { return format; }

    void record() { records++; }

    void stored(String ecosystemAndRelease) { stored.merge(ecosystemAndRelease, 1L, Long::sum); }

    void skipped(String reason) { skipped.merge(reason, 1L, Long::sum); }

    void rejected(String reason) { rejected.merge(reason, 1L, Long::sum); }

    public long records() { return records; }

    public long storedTotal() { return stored.values().stream().mapToLong(Long::longValue).sum(); }

    public long rejectedTotal() { return rejected.values().stream().mapToLong(Long::longValue).sum(); }

    public Map<String, Long> stored() { return Collections.unmodifiableMap(new TreeMap<>(stored)); }

    public Map<String, Long> skipped() { return Collections.unmodifiableMap(new TreeMap<>(skipped)); }

    public Map<String, Long> rejected() { return Collections.unmodifiableMap(new TreeMap<>(rejected)); }

    @Override
    public String toString() {
        return "source " + source + " (" + format + "): " + records + " records, " + storedTotal()
                + " advisories stored " + stored + (skipped.isEmpty() ? "" : ", skipped " + skipped)
                + (rejected.isEmpty() ? "" : ", rejected " + rejected);
    }
}
