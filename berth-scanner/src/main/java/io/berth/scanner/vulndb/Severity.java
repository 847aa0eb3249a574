package io.berth.scanner.vulndb;

import java.util.Locale;
import java.util.Optional;

/**
 * ECR's finding severities. Berth's rule, in order: a CVSS base score computed from the record's own vector (v3.x
 * by the CVSS v3 bands, 0.0 INFORMATIONAL, 0.1-3.9 LOW, 4.0-6.9 MEDIUM, 7.0-8.9 HIGH, 9.0-10.0 CRITICAL; else v2 by
 * NVD's v2 bands, which have no CRITICAL); else the severity word the source gives (OSV
 * {@code database_specific.severity}, GitHub's MODERATE being MEDIUM; the Debian tracker's urgency); else
 * UNDEFINED, ECR's value for unknown. Nothing is guessed: the DSA/DLA lists and Alpine's secdb carry no severity,
 * so their findings are UNDEFINED.
 */
public enum Severity {
    INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL, UNDEFINED;

    /** CVSS v3.x qualitative rating of a base score. */
    public static Severity ofCvss3(double score) {
        if (score <= 0.0) {
            return INFORMATIONAL;
        }
        if (score < 4.0) {
            return LOW;
        }
        if (score < 7.0) {
            return MEDIUM;
        }
        return score < 9.0 ? HIGH : CRITICAL;
    }

    /** NVD's CVSS v2 bands. */
    public static Severity ofCvss2(double score) {
        if (score < 4.0) {
            return LOW;
        }
        return score < 7.0 ? MEDIUM : HIGH;
    }

    /** A source's severity word: CRITICAL, HIGH, MODERATE/MEDIUM, LOW, or the Debian urgencies. */
    public static Optional<Severity> ofWord(String word) {
        if (word == null) {
            return Optional.empty();
        }
        String w = word.strip().toLowerCase(Locale.ROOT).replace("*", ""); // the tracker marks guesses "low**"
        return Optional.ofNullable(switch (w) {
            case "critical" -> CRITICAL;
            case "high" -> HIGH;
            case "moderate", "medium" -> MEDIUM;
            case "low" -> LOW;
            case "unimportant", "negligible", "informational", "none" -> INFORMATIONAL;
            default -> null; // "not yet assigned", "end-of-life", anything else: no severity from the data
        });
    }
}
