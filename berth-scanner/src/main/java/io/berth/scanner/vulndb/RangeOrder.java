package io.berth.scanner.vulndb;

import io.berth.scanner.vulndb.AffectedRange.Event;
import io.berth.scanner.vulndb.AffectedRange.Kind;
import io.berth.scanner.version.VersionScheme;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * OSV's evaluation of one range (the schema's "evaluation" pseudo-code): events sorted by version, "0" lowest and
 * a limit of "*" highest, an introduced before an upper bound at the same version; then walking up to the installed
 * version, introduced opens, fixed (at or below it) and last_affected / limit (below it) close.
 */
public final class RangeOrder {
    private RangeOrder() {}

    public static List<Event> sorted(List<Event> events, VersionScheme scheme) {
        List<Event> out = new ArrayList<>(events);
        out.sort(comparator(scheme));
        return out;
    }

    private static Comparator<Event> comparator(VersionScheme scheme) {
        return (a, b) -> {
            int c = compareVersions(a, b, scheme);
            if (c != 0) {
                return c;
            }
            return Integer.compare(a.kind() == Kind.INTRODUCED ? 0 : 1, b.kind() == Kind.INTRODUCED ? 0 : 1);
        };
    }

    private static int rank(Event e) {
        if (e.kind() == Kind.INTRODUCED && e.version().equals("0")) {
            return -1;
        }
        return e.kind() == Kind.LIMIT && e.version().equals("*") ? 1 : 0;
    }

    private static int compareVersions(Event a, Event b, VersionScheme scheme) {
        int ra = rank(a);
        int rb = rank(b);
        if (ra != 0 || rb != 0) {
            return Integer.compare(ra, rb);
        }
        return scheme.compare(a.version(), b.version());
    }

    /**
     * Whether {@code version} is inside the range, and the fix that closes the interval it is in (null when none):
     * the result of {@link #evaluate}.
     */
    public record Hit(boolean affected, String fixedIn) {}

    public static Hit evaluate(AffectedRange range, String version, VersionScheme scheme) {
        List<Event> events = sorted(range.events(), scheme);
        boolean affected = false;
        String fixedIn = null;
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            switch (e.kind()) {
                case INTRODUCED -> {
                    if (e.version().equals("0") || scheme.compare(version, e.version()) >= 0) {
                        affected = true;
                    }
                }
                case FIXED -> {
                    if (scheme.compare(version, e.version()) >= 0) {
                        affected = false;
                    }
                }
                case LAST_AFFECTED -> {
                    if (scheme.compare(version, e.version()) > 0) {
                        affected = false;
                    }
                }
                case LIMIT -> {
                    if (!e.version().equals("*") && scheme.compare(version, e.version()) >= 0) {
                        affected = false;
                    }
                }
            }
        }
        if (affected) {
            for (Event e : events) { // the first fix above the installed version closes its interval
                if (e.kind() == Kind.FIXED && scheme.compare(e.version(), version) > 0) {
                    fixedIn = e.version();
                    break;
                }
            }
        }
        return new Hit(affected, fixedIn);
    }
}
