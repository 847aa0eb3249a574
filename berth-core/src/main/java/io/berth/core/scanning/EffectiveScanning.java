package io.berth.core.scanning;

import java.util.List;

/**
 * The scanning that applies to one repository ({@code BatchGetRepositoryScanningConfiguration}'s entry).
 *
 * @param appliedFilters the registry rule filters that matched; empty when the repository's own {@code scanOnPush}
 *                       or nothing decided
 */
public record EffectiveScanning(ScanType scanType, ScanFrequency frequency, boolean scanOnPush,
                                List<String> appliedFilters) {
    public EffectiveScanning {
        appliedFilters = List.copyOf(appliedFilters);
    }
}
