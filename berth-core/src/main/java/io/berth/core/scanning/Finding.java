package io.berth.core.scanning;

import java.time.Instant;
import java.util.List;

/**
 * One vulnerability found in one package of an image, in a neutral form from which both of ECR's shapes are drawn:
 * BASIC {@code findings[]} and ENHANCED {@code enhancedFindings[]}.
 *
 * @param vulnerabilityId  the advisory's primary ID (CVE-…, GHSA-…, GO-…), ECR's {@code name}
 * @param severity         ECR's scale: CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL or UNDEFINED
 * @param cvssScore        the base score when the data has one, else null
 * @param cvssVector       the CVSS vector when the data has one, else null
 * @param cvssVersion      "2.0", "3.1"… with the vector, else null
 * @param packageManager   dpkg, apk, rpm, maven, pypi, npm, go…
 * @param fixedInVersion   the first fixed version, or null when no fix is known
 * @param source           the data source the advisory came from (e.g. "debian-dsa", "osv")
 * @param filePath         where in the image the package was recorded
 * @param firstObservedAt  when Berth first reported this finding for this image
 */
public record Finding(String vulnerabilityId, String title, String description, String uri, String severity,
                      Double cvssScore, String cvssVector, String cvssVersion, String packageName,
                      String packageVersion, String packageManager, String fixedInVersion, String source,
                      String sourceUrl, List<String> referenceUrls, String filePath, Instant firstObservedAt,
                      Instant lastObservedAt) {
    public Finding {
        referenceUrls = referenceUrls == null ? List.of() : List.copyOf(referenceUrls);
    }

    /** Severities from worst to unknown, as ECR orders its counts. */
    public static final List<String> SEVERITIES = List.of("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL",
            "UNDEFINED");
}
