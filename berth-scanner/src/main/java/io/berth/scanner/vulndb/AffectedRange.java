package io.berth.scanner.vulndb;

import java.util.List;

/**
 * One OSV range: its type ({@code ECOSYSTEM}: the ecosystem's own order; {@code SEMVER}: semver precedence) and its
 * events in the record's order. Other sources are stored in the same shape: a Debian or Alpine fix is
 * {@code introduced 0, fixed V}; an unfixed issue is {@code introduced 0} alone.
 */
public record AffectedRange(String type, List<Event> events) {
    public AffectedRange {
        events = List.copyOf(events);
    }

    public enum Kind { INTRODUCED, FIXED, LAST_AFFECTED, LIMIT }

    /** {@code version} "0" with INTRODUCED means "since the first version", as in OSV. */
    public record Event(Kind kind, String version) {}

    public static AffectedRange fixedIn(String fixed) {
        return new AffectedRange("ECOSYSTEM", List.of(new Event(Kind.INTRODUCED, "0"), new Event(Kind.FIXED, fixed)));
    }

    public static AffectedRange unfixed() {
        return new AffectedRange("ECOSYSTEM", List.of(new Event(Kind.INTRODUCED, "0")));
    }
}
