package io.berth.scanner.vulndb.imports;

import io.berth.scanner.version.DpkgVersion;
import io.berth.scanner.vulndb.Advisory;
import io.berth.scanner.vulndb.AffectedRange;
import io.berth.scanner.vulndb.Severity;
import java.io.BufferedReader;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Debian security tracker's {@code data/DSA/list} and {@code data/DLA/list}:
 * <pre>
 * [29 Mar 2023] DSA-5380-1 xorg-server - security update
 * 	{CVE-2023-1393}
 * 	[bullseye] - xorg-server 2:1.20.11-1+deb11u6
 * </pre>
 * Each {@code [release] - source-package version} line is one advisory: affected below that version. A
 * {@code <not-affected>} line stores nothing (counted as skipped); {@code <unfixed>} and {@code <end-of-life>} (no
 * fix is coming for that release) store an advisory with no fix. The lists carry no severity: UNDEFINED. An
 * advisory whose lines are malformed is rejected whole.
 */
final class DebianLists {
    private static final Pattern HEADER = Pattern.compile("^\\[(\\d{1,2} [A-Za-z]{3} \\d{4})\\]\\s+(D[SL]A-\\S+)\\s*(.*)$");
    private static final Pattern CVES = Pattern.compile("^\\s+\\{([^}]*)\\}\\s*$");
    private static final Pattern RELEASE = Pattern.compile("^\\s+\\[([a-z-]+)\\]\\s+-\\s+(\\S+)\\s+(\\S+)(?:\\s+.*)?$");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);

    private DebianLists() {}

    /** The source name of a list: debian-dsa or debian-dla, from its first advisory's ID. */
    static String sourceOf(String firstLine) {
        Matcher m = HEADER.matcher(firstLine);
        return m.matches() && m.group(2).startsWith("DLA") ? "debian-dla" : "debian-dsa";
    }

    static void read(BufferedReader in, String source, ImportSummary summary, AdvisorySink sink) throws IOException {
        Entry entry = null;
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            Matcher h = HEADER.matcher(line);
            if (h.matches()) {
                flush(entry, source, summary, sink);
                entry = new Entry(h.group(2), h.group(1), h.group(3).replaceFirst("^-\\s*", "").strip());
                continue;
            }
            if (entry == null) {
                summary.record();
                summary.rejected("line outside an advisory");
                continue;
            }
            if (line.strip().startsWith("NOTE:")) {
                continue;
            }
            Matcher c = CVES.matcher(line);
            if (c.matches()) {
                for (String id : c.group(1).trim().split("\\s+")) {
                    if (!id.isEmpty()) {
                        entry.cves.add(id);
                    }
                }
                continue;
            }
            Matcher r = RELEASE.matcher(line);
            if (r.matches()) {
                entry.releases.add(new String[] {r.group(1), r.group(2), r.group(3)});
            } else {
                entry.malformed = line.strip();
            }
        }
        flush(entry, source, summary, sink);
    }

    private static final class Entry {
        final String id;
        final String date;
        final String title;
        final List<String> cves = new ArrayList<>();
        final List<String[]> releases = new ArrayList<>();
        String malformed;

        Entry(String id, String date, String title) {
            this.id = id;
            this.date = date;
            this.title = title;
        }
    }

    private static void flush(Entry e, String source, ImportSummary summary, AdvisorySink sink) {
        if (e == null) {
            return;
        }
        summary.record();
        try {
            for (Advisory a : advisories(e, source, summary)) {
                sink.accept(a);
                summary.stored(a.ecosystem() + ":" + a.release());
            }
        } catch (RejectedRecord r) {
            summary.rejected(r.reason());
        }
    }

    private static List<Advisory> advisories(Entry e, String source, ImportSummary summary) throws RejectedRecord {
        if (e.malformed != null) {
            throw new RejectedRecord("malformed line", e.id + ": " + e.malformed);
        }
        java.time.Instant date;
        try {
            date = LocalDate.parse(e.date, DATE).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException ex) {
            throw new RejectedRecord("malformed date", e.id + " " + e.date);
        }
        if (e.releases.isEmpty()) {
            summary.skipped("no release line (announcement)");
            return List.of();
        }
        List<Advisory> out = new ArrayList<>();
        String reference = "https://security-tracker.debian.org/tracker/" + e.id;
        for (String[] rel : e.releases) {
            String version = rel[2];
            AffectedRange range;
            switch (version) {
                case "<not-affected>" -> {
                    summary.skipped("not affected");
                    continue;
                }
                case "<unfixed>", "<end-of-life>" -> range = AffectedRange.unfixed();
                default -> {
                    if (version.startsWith("<")) {
                        throw new RejectedRecord("unknown tag " + version, e.id);
                    }
                    if (!DpkgVersion.INSTANCE.isValid(version)) {
                        throw new RejectedRecord("invalid dpkg version", e.id + " " + version);
                    }
                    range = AffectedRange.fixedIn(version);
                }
            }
            out.add(new Advisory(source, e.id, e.cves, "Debian", rel[0], rel[1], List.of(range), List.of(),
                    Severity.UNDEFINED, null, null, e.title, List.of(reference), date));
        }
        return out;
    }
}
