package io.berth.core.model;

import java.util.List;
import java.util.regex.Pattern;

/**
 * ECR's image tag mutability of a repository. The {@code *_WITH_EXCLUSION} modes invert the rule for tags matching
 * one of the repository's wildcard filters ({@code *} matches any run of characters).
 */
public enum TagMutability {
    MUTABLE, IMMUTABLE, IMMUTABLE_WITH_EXCLUSION, MUTABLE_WITH_EXCLUSION;

    /** Whether {@code tag} may not be moved to another image under this mode and these filters. */
    public boolean isImmutable(String tag, List<String> exclusionFilters) {
        return switch (this) {
            case MUTABLE -> false;
            case IMMUTABLE -> true;
            case IMMUTABLE_WITH_EXCLUSION -> !matchesAny(tag, exclusionFilters);
            case MUTABLE_WITH_EXCLUSION -> matchesAny(tag, exclusionFilters);
        };
    }

    /** Filters are only allowed, and required, with the exclusion modes. */
    public boolean usesExclusions() {
        return this == IMMUTABLE_WITH_EXCLUSION || this == MUTABLE_WITH_EXCLUSION;
    }

    static boolean matchesAny(String tag, List<String> filters) {
        for (String f : filters) {
            if (wildcard(f).matcher(tag).matches()) {
                return true;
            }
        }
        return false;
    }

    static Pattern wildcard(String filter) {
        StringBuilder re = new StringBuilder();
        for (String part : filter.split("\\*", -1)) {
            if (re.length() > 0) {
                re.append(".*");
            }
            re.append(part.isEmpty() ? "" : Pattern.quote(part));
            if (re.length() == 0) {
                re.append("(?:)"); // keeps "first part empty" distinct from "no part yet" for a leading '*'
            }
        }
        return Pattern.compile(re.toString());
    }
}
