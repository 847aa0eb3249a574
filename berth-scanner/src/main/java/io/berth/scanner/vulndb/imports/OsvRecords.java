package io.berth.scanner.vulndb.imports;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.scanner.version.InvalidVersionException;
import io.berth.scanner.version.SemverVersion;
import io.berth.scanner.version.VersionScheme;
import io.berth.scanner.version.VersionSchemes;
import io.berth.scanner.vulndb.Advisory;
import io.berth.scanner.vulndb.AffectedRange;
import io.berth.scanner.vulndb.AffectedRange.Event;
import io.berth.scanner.vulndb.AffectedRange.Kind;
import io.berth.scanner.vulndb.Cvss;
import io.berth.scanner.vulndb.PackageNames;
import io.berth.scanner.vulndb.RangeOrder;
import io.berth.scanner.vulndb.Releases;
import io.berth.scanner.vulndb.Severity;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * One OSV record (OSV schema 1.x) to advisories, one per affected package. The record is refused whole when any of
 * its ranges is malformed: no {@code introduced} (open), an upper bound below its {@code introduced} (inverted), a
 * version its ecosystem cannot parse, or an event that is not exactly one of introduced / fixed / last_affected /
 * limit. {@code GIT} ranges are ignored (they name commits, not versions); so are affected packages of an
 * ecosystem Berth cannot compare. A withdrawn record is skipped.
 */
final class OsvRecords {
    private OsvRecords() {}

    static List<Advisory> parse(JsonNode r, String source, ImportSummary summary) throws RejectedRecord {
        if (!r.isObject()) {
            throw new RejectedRecord("not a JSON object", null);
        }
        String id = text(r, "id");
        if (id == null || id.isBlank()) {
            throw new RejectedRecord("missing id", null);
        }
        if (r.hasNonNull("withdrawn")) {
            summary.skipped("withdrawn");
            return List.of();
        }
        JsonNode affected = r.get("affected");
        if (affected == null || !affected.isArray() || affected.isEmpty()) {
            throw new RejectedRecord("no affected packages", id);
        }
        Instant modified = date(r, "modified");
        if (modified == null || modified.isBefore(Instant.EPOCH.plusSeconds(1))) {
            modified = date(r, "published"); // the Go database's 0001-01-01 placeholder is no date
        }
        if (modified != null && modified.isBefore(Instant.EPOCH.plusSeconds(1))) {
            modified = null;
        }
        List<String> aliases = strings(r.get("aliases"));
        String summaryText = text(r, "summary");
        if (summaryText == null) {
            String details = text(r, "details");
            summaryText = details == null ? "" : firstLine(details);
        }
        List<String> references = new ArrayList<>();
        for (JsonNode ref : iterable(r.get("references"))) {
            String url = text(ref, "url");
            if (url != null) {
                references.add(url);
            }
        }
        Scored recordScore = score(r);
        List<Advisory> out = new ArrayList<>();
        for (JsonNode a : affected) {
            JsonNode pkg = a.get("package");
            String ecosystem = pkg == null ? null : text(pkg, "ecosystem");
            String name = pkg == null ? null : text(pkg, "name");
            if (ecosystem == null || name == null || name.isBlank()) {
                throw new RejectedRecord("affected package without ecosystem or name", id);
            }
            int colon = ecosystem.indexOf(':');
            String base = colon < 0 ? ecosystem : ecosystem.substring(0, colon);
            String release = Releases.ofOsv(base, colon < 0 ? "" : ecosystem.substring(colon + 1));
            VersionScheme scheme = VersionSchemes.forEcosystem(base).orElse(null);
            if (scheme == null) {
                summary.skipped("unsupported ecosystem " + base);
                continue;
            }
            List<AffectedRange> ranges = new ArrayList<>();
            for (JsonNode range : iterable(a.get("ranges"))) {
                String type = text(range, "type");
                if ("GIT".equals(type)) {
                    continue;
                }
                if (!"ECOSYSTEM".equals(type) && !"SEMVER".equals(type)) {
                    throw new RejectedRecord("unknown range type", id + " " + type);
                }
                VersionScheme rangeScheme = "SEMVER".equals(type)
                        ? ("Go".equals(base) ? SemverVersion.GO : SemverVersion.NPM) : scheme;
                ranges.add(range(range, type, rangeScheme, id));
            }
            List<String> versions = strings(a.get("versions"));
            if (ranges.isEmpty() && versions.isEmpty()) {
                if (a.has("ranges") && a.get("ranges").size() > 0) {
                    summary.skipped("only GIT ranges");
                    continue;
                }
                throw new RejectedRecord("affected package without ranges or versions", id);
            }
            Scored s = score(a).orElse(recordScore);
            out.add(new Advisory(source, id, aliases, base, release, PackageNames.normalize(base, name), ranges,
                    versions, s.severity, s.score, s.vector, summaryText, references, modified));
        }
        return out;
    }

    private static AffectedRange range(JsonNode range, String type, VersionScheme scheme, String id)
            throws RejectedRecord {
        List<Event> events = new ArrayList<>();
        for (JsonNode e : iterable(range.get("events"))) {
            if (!e.isObject() || e.size() != 1) {
                throw new RejectedRecord("malformed range event", id);
            }
            String key = e.fieldNames().next();
            Kind kind = switch (key) {
                case "introduced" -> Kind.INTRODUCED;
                case "fixed" -> Kind.FIXED;
                case "last_affected" -> Kind.LAST_AFFECTED;
                case "limit" -> Kind.LIMIT;
                default -> throw new RejectedRecord("malformed range event", id + " " + key);
            };
            String version = e.get(key).isTextual() ? e.get(key).asText() : null;
            if (version == null || version.isBlank()) {
                throw new RejectedRecord("malformed range event", id);
            }
            boolean zero = kind == Kind.INTRODUCED && version.equals("0");
            boolean star = kind == Kind.LIMIT && version.equals("*");
            if (!zero && !star) {
                try {
                    scheme.validate(version);
                } catch (InvalidVersionException ex) {
                    throw new RejectedRecord("invalid " + scheme.name() + " version", id + " " + version);
                }
            }
            events.add(new Event(kind, version));
        }
        if (events.isEmpty() || events.stream().noneMatch(e -> e.kind() == Kind.INTRODUCED)) {
            throw new RejectedRecord("open range (no introduced)", id);
        }
        // in version order (OSV evaluates events sorted), every upper bound must close an introduced below it
        String introduced = null;
        for (Event e : RangeOrder.sorted(events, scheme)) {
            if (e.kind() == Kind.INTRODUCED) {
                introduced = introduced == null ? e.version() : introduced;
                continue;
            }
            if (introduced == null) {
                throw new RejectedRecord("inverted range", id + " " + e.kind() + " " + e.version()
                        + " below every introduced");
            }
            if (e.kind() == Kind.FIXED && !introduced.equals("0") && scheme.compare(e.version(), introduced) == 0) {
                throw new RejectedRecord("inverted range", id + " fixed in " + e.version() + ", the version it was "
                        + "introduced in");
            }
            introduced = null;
        }
        return new AffectedRange(type, events);
    }

    record Scored(Severity severity, Double score, String vector) {
        static final Scored NONE = new Scored(Severity.UNDEFINED, null, null);

        Scored orElse(Scored other) { return this == NONE ? other : this; }
    }

    /** Severity by {@link Severity}'s rule from a record's or an affected entry's severity fields. */
    static Scored score(JsonNode node) {
        String v3 = null;
        String v2 = null;
        String any = null;
        for (JsonNode s : iterable(node.get("severity"))) {
            String type = text(s, "type");
            String vector = text(s, "score");
            if (vector == null) {
                continue;
            }
            any = any == null ? vector : any;
            if ("CVSS_V3".equals(type) && v3 == null) {
                v3 = vector;
            } else if ("CVSS_V2".equals(type) && v2 == null) {
                v2 = vector;
            }
        }
        if (v3 != null) {
            OptionalDouble score = Cvss.baseScore(v3);
            if (score.isPresent()) {
                return new Scored(Severity.ofCvss3(score.getAsDouble()), score.getAsDouble(), v3);
            }
        }
        if (v2 != null) {
            OptionalDouble score = Cvss.baseScore(v2);
            if (score.isPresent()) {
                return new Scored(Severity.ofCvss2(score.getAsDouble()), score.getAsDouble(), v2);
            }
        }
        JsonNode db = node.get("database_specific");
        String word = db == null ? null : text(db, "severity");
        Severity fromWord = Severity.ofWord(word).orElse(null);
        if (fromWord != null) {
            return new Scored(fromWord, null, any);
        }
        return any == null ? Scored.NONE : new Scored(Severity.UNDEFINED, null, any);
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    private static Instant date(JsonNode r, String field) {
        String t = text(r, field);
        if (t == null) {
            return null;
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : iterable(array)) {
            if (n.isTextual()) {
                out.add(n.asText());
            }
        }
        return out;
    }

    static Iterable<JsonNode> iterable(JsonNode n) {
        return n == null || !n.isArray() ? List.of() : n;
    }

    private static String firstLine(String s) {
        String line = s.strip().split("\n", 2)[0];
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
