package io.berth.scanner.match;

import io.berth.scanner.model.InstalledPackage;
import io.berth.scanner.vulndb.Severity;
import java.util.List;

/**
 * One vulnerability of one installed package: what ECR's {@code findings[]} and {@code enhancedFindings[]} are built
 * from.
 *
 * @param vulnerabilityId the advisory's ID (DSA-5380-1, GHSA-…, CVE-… from secdb)
 * @param aliases         the same vulnerability's other IDs (a DSA's CVEs)
 * @param pkg             the installed package, as the inventory found it
 * @param fixedVersion    the first version that fixes it, or null when no fix is known
 * @param cvssScore       the base score, or null
 * @param cvssVector      the vector, or null
 * @param source          the vulnerability-data source that said so
 */
public record Finding(String vulnerabilityId, List<String> aliases, InstalledPackage pkg, String fixedVersion,
                      Severity severity, Double cvssScore, String cvssVector, String summary, List<String> references,
                      String source) {
    public Finding {
        aliases = List.copyOf(aliases);
        references = List.copyOf(references);
    }

    public String installedVersion() { return pkg.version(); }

    public boolean fixAvailable() { return fixedVersion != null; }
}
