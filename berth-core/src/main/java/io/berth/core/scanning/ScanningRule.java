package io.berth.core.scanning;

import io.berth.core.model.StarPattern;
import java.util.List;

/**
 * One rule of a registry's scanning configuration: a frequency for the repositories one of its filters matches.
 * ECR's {@code WILDCARD} filters: a filter without {@code *} matches every repository name that <em>contains</em> it;
 * with {@code *}, each {@code *} stands for zero or more characters and the whole name must match.
 */
public record ScanningRule(ScanFrequency frequency, List<String> filters) {
    public ScanningRule {
        filters = List.copyOf(filters);
    }

    /** The filters of this rule that match {@code repository}, in order; empty when none does. */
    public List<String> matching(String repository) {
        return filters.stream().filter(f -> matches(f, repository)).toList();
    }

    static boolean matches(String filter, String repository) {
        return filter.indexOf('*') < 0 ? repository.contains(filter) : StarPattern.matches(filter, repository);
    }
}
