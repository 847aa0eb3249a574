package io.berth.scanner.vulndb;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a source says about one package: the stored unit of vulnerability data, looked up by
 * (ecosystem, release, package). One OSV record with three affected packages is three advisories.
 *
 * @param source      the import it came from, which replaces all of its advisories at once ({@code debian-dsa},
 *                    {@code alpine-secdb:v3.11/main}, {@code osv:pypi})
 * @param id          the vulnerability ID the source uses (DSA-5380-1, GHSA-…, CVE-… for secdb)
 * @param aliases     other IDs of the same vulnerability (the CVEs a DSA fixes, an OSV record's aliases)
 * @param ecosystem   OSV's ecosystem name without the release: Debian, Alpine, Maven, PyPI, npm, Go…
 * @param release     the distribution release for OS packages (Debian's codename, Alpine's major.minor), else ""
 * @param packageName the package as the source names it (OS: the source package; PyPI: PEP 503-normalised)
 * @param ranges      affected ranges; the package is affected if any range or {@code versions} contains it
 * @param versions    affected versions listed explicitly
 * @param severity    by {@link Severity}'s rule
 * @param cvssScore   the base score behind the severity, or null
 * @param cvssVector  the vector it was computed from (or the only one given), or null
 * @param summary     one line, or ""
 * @param references  URLs
 * @param modified    when the source last changed it, or null when unknown
 */
public record Advisory(String source, String id, List<String> aliases, String ecosystem, String release,
                       String packageName, List<AffectedRange> ranges, List<String> versions, Severity severity,
                       Double cvssScore, String cvssVector, String summary, List<String> references,
                       Instant modified) {
    public Advisory {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ecosystem, "ecosystem");
        Objects.requireNonNull(packageName, "packageName");
        Objects.requireNonNull(severity, "severity");
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        release = release == null ? "" : release;
        ranges = ranges == null ? List.of() : List.copyOf(ranges);
        versions = versions == null ? List.of() : List.copyOf(versions);
        summary = summary == null ? "" : summary;
        references = references == null ? List.of() : List.copyOf(references);
    }
}
