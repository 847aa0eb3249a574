package io.berth.scanner.vulndb.imports;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.scanner.version.ApkVersion;
import io.berth.scanner.vulndb.Advisory;
import io.berth.scanner.vulndb.AffectedRange;
import io.berth.scanner.vulndb.Releases;
import io.berth.scanner.vulndb.Severity;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Alpine's secdb (secdb.alpinelinux.org, {@code v3.11/main.yaml} or {@code .json}, the same tree):
 * {@code distroversion}, {@code reponame}, and per origin package {@code secfixes: {fixed-version: [IDs]}}. Each
 * (package, ID) is one advisory, affected below the lowest version that lists the ID. Version {@code 0} lists IDs
 * that never affected Alpine's package (skipped). No severity or date: UNDEFINED, undated. Each secfixes entry is
 * a record of its own: one with a malformed version ({@code 2.7.16-33} in the real 3.11 data) is rejected, with its
 * IDs, and the package's other entries stand; an ID that is not one (a file name in the data) is rejected alone. A
 * parenthesised comment after an ID ({@code CVE-2018-14468 (FrameRelay)}) is not part of it.
 */
final class AlpineSecdb {
    private static final Pattern ID = Pattern.compile("^[A-Z][A-Z0-9]*-[0-9A-Za-z][0-9A-Za-z-]*[0-9A-Za-z]$");

    private AlpineSecdb() {}

    static boolean looksLike(JsonNode root) {
        return root.isObject() && root.has("distroversion") && root.has("packages");
    }

    static String sourceOf(JsonNode root) {
        return "alpine-secdb:" + OsvRecords.text(root, "distroversion") + "/" + OsvRecords.text(root, "reponame");
    }

    static void read(JsonNode root, String source, ImportSummary summary, AdvisorySink sink) {
        String release = Releases.alpineBranch(OsvRecords.text(root, "distroversion"));
        for (JsonNode p : OsvRecords.iterable(root.get("packages"))) {
            summary.record();
            try {
                for (Advisory a : advisories(p.get("pkg"), release, source, summary)) {
                    sink.accept(a);
                    summary.stored(a.ecosystem() + ":" + a.release());
                }
            } catch (RejectedRecord r) {
                summary.rejected(r.reason());
            }
        }
    }

    private static List<Advisory> advisories(JsonNode pkg, String release, String source, ImportSummary summary)
            throws RejectedRecord {
        String name = pkg == null ? null : OsvRecords.text(pkg, "name");
        if (name == null || release == null) {
            throw new RejectedRecord("package without name", null);
        }
        JsonNode secfixes = pkg.get("secfixes");
        if (secfixes == null || !secfixes.isObject()) {
            throw new RejectedRecord("package without secfixes", name);
        }
        Map<String, String> lowestFix = new LinkedHashMap<>();
        java.util.Set<String> notAffected = new java.util.HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = secfixes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> fix = it.next();
            String version = fix.getKey();
            boolean zero = version.equals("0");
            if (!zero && !ApkVersion.INSTANCE.isValid(version)) {
                summary.rejected("invalid apk version"); // this entry only: the package's other fixes stand
                continue;
            }
            for (JsonNode idNode : OsvRecords.iterable(fix.getValue())) {
                for (String id : idNode.asText().replaceAll("\\(.*\\)", " ").trim().split("\\s+")) {
                    if (id.isEmpty()) {
                        continue;
                    }
                    if (!ID.matcher(id).matches()) {
                        summary.rejected("malformed vulnerability id");
                        continue;
                    }
                    if (zero) {
                        notAffected.add(id);
                    } else {
                        lowestFix.merge(id, version,
                                (a, b) -> ApkVersion.INSTANCE.compare(a, b) <= 0 ? a : b);
                    }
                }
            }
        }
        java.util.ArrayList<Advisory> out = new java.util.ArrayList<>();
        for (String id : notAffected) {
            summary.skipped("not affected");
            lowestFix.remove(id);
        }
        for (Map.Entry<String, String> e : lowestFix.entrySet()) {
            String id = e.getKey();
            List<String> refs = id.startsWith("CVE-")
                    ? List.of("https://security.alpinelinux.org/vuln/" + id) : List.of();
            out.add(new Advisory(source, id, List.of(), "Alpine", release, name,
                    List.of(AffectedRange.fixedIn(e.getValue())), List.of(), Severity.UNDEFINED, null, null, "",
                    refs, null));
        }
        return out;
    }
}
