package io.berth.scanner.vulndb.imports;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.scanner.version.DpkgVersion;
import io.berth.scanner.vulndb.Advisory;
import io.berth.scanner.vulndb.AffectedRange;
import io.berth.scanner.vulndb.Severity;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The Debian security tracker's JSON export ({@code https://security-tracker.debian.org/tracker/data/json}):
 * {@code {source-package: {CVE: {description, releases: {codename: {status, fixed_version, urgency}}}}}}. Per
 * release: {@code resolved} with a fixed version is affected below it, except fixed version {@code 0}, which means
 * never affected (skipped); {@code open} is affected with no fix; {@code undetermined} is skipped (the tracker does
 * not know yet, and Berth reports nothing it cannot back). The urgency gives the severity (high, medium, low;
 * unimportant is INFORMATIONAL; "not yet assigned" is UNDEFINED). The export carries no dates.
 */
final class DebianTrackerJson {
    private DebianTrackerJson() {}

    static boolean looksLike(JsonNode root) {
        if (!root.isObject() || root.isEmpty()) {
            return false;
        }
        JsonNode firstPackage = root.elements().next();
        if (!firstPackage.isObject() || firstPackage.isEmpty()) {
            return false;
        }
        JsonNode firstIssue = firstPackage.elements().next();
        return firstIssue.isObject() && firstIssue.has("releases");
    }

    static void read(JsonNode root, String source, ImportSummary summary, AdvisorySink sink) {
        for (Iterator<Map.Entry<String, JsonNode>> pkgs = root.fields(); pkgs.hasNext(); ) {
            Map.Entry<String, JsonNode> pkg = pkgs.next();
            for (Iterator<Map.Entry<String, JsonNode>> issues = pkg.getValue().fields(); issues.hasNext(); ) {
                Map.Entry<String, JsonNode> issue = issues.next();
                summary.record();
                try {
                    for (Advisory a : advisories(pkg.getKey(), issue.getKey(), issue.getValue(), source, summary)) {
                        sink.accept(a);
                        summary.stored(a.ecosystem() + ":" + a.release());
                    }
                } catch (RejectedRecord r) {
                    summary.rejected(r.reason());
                }
            }
        }
    }

    private static List<Advisory> advisories(String pkg, String id, JsonNode issue, String source,
                                             ImportSummary summary) throws RejectedRecord {
        JsonNode releases = issue.get("releases");
        if (!issue.isObject() || releases == null || !releases.isObject()) {
            throw new RejectedRecord("issue without releases", pkg + " " + id);
        }
        String description = OsvRecords.text(issue, "description");
        String reference = "https://security-tracker.debian.org/tracker/" + id;
        java.util.ArrayList<Advisory> out = new java.util.ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = releases.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> rel = it.next();
            JsonNode r = rel.getValue();
            String status = OsvRecords.text(r, "status");
            String fixed = OsvRecords.text(r, "fixed_version");
            AffectedRange range;
            if ("resolved".equals(status)) {
                if (fixed == null) {
                    throw new RejectedRecord("resolved without fixed_version", pkg + " " + id);
                }
                if (fixed.equals("0")) {
                    summary.skipped("not affected");
                    continue;
                }
                if (!DpkgVersion.INSTANCE.isValid(fixed)) {
                    throw new RejectedRecord("invalid dpkg version", pkg + " " + id + " " + fixed);
                }
                range = AffectedRange.fixedIn(fixed);
            } else if ("open".equals(status)) {
                range = AffectedRange.unfixed();
            } else if ("undetermined".equals(status)) {
                summary.skipped("undetermined");
                continue;
            } else {
                throw new RejectedRecord("unknown status", pkg + " " + id + " " + status);
            }
            Severity severity = Severity.ofWord(OsvRecords.text(r, "urgency")).orElse(Severity.UNDEFINED);
            out.add(new Advisory(source, id, List.of(), "Debian", rel.getKey(), pkg, List.of(range), List.of(),
                    severity, null, null, description == null ? "" : description, List.of(reference), null));
        }
        return out;
    }
}
