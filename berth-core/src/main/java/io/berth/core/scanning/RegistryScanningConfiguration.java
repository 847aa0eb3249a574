package io.berth.core.scanning;

import java.util.ArrayList;
import java.util.List;

/**
 * A registry's scanning configuration ({@code PutRegistryScanningConfiguration}): the scan type and at most two rules.
 * A registry that never set one has {@link #DEFAULT}: BASIC with no rules, so only repositories with the deprecated
 * {@code scanOnPush} setting scan on push and every other scan is manual.
 */
public record RegistryScanningConfiguration(ScanType scanType, List<ScanningRule> rules) {
    public static final RegistryScanningConfiguration DEFAULT = new RegistryScanningConfiguration(ScanType.BASIC,
            List.of());

    public RegistryScanningConfiguration {
        rules = List.copyOf(rules);
    }

    /**
     * What applies to {@code repository}:
     * <ul>
     * <li>ENHANCED: the registry's rules alone decide. A CONTINUOUS_SCAN rule that matches wins over a SCAN_ON_PUSH
     *     one (continuous scanning scans on push too); a repository no rule matches is not scanned (MANUAL, and
     *     ENHANCED refuses manual scans).</li>
     * <li>BASIC: a matching SCAN_ON_PUSH rule, or else the repository's own {@code scanOnPush} (deprecated but still
     *     honoured under BASIC, as ECR does), gives SCAN_ON_PUSH; everything else is MANUAL.</li>
     * </ul>
     * {@code scanOnPush} in the answer says whether a push starts a scan.
     */
    public EffectiveScanning effective(String repository, boolean repositoryScanOnPush) {
        List<String> continuous = matching(ScanFrequency.CONTINUOUS_SCAN, repository);
        List<String> onPush = matching(ScanFrequency.SCAN_ON_PUSH, repository);
        if (scanType == ScanType.ENHANCED) {
            if (!continuous.isEmpty()) {
                return new EffectiveScanning(ScanType.ENHANCED, ScanFrequency.CONTINUOUS_SCAN, true, continuous);
            }
            if (!onPush.isEmpty()) {
                return new EffectiveScanning(ScanType.ENHANCED, ScanFrequency.SCAN_ON_PUSH, true, onPush);
            }
            return new EffectiveScanning(ScanType.ENHANCED, ScanFrequency.MANUAL, false, List.of());
        }
        if (!onPush.isEmpty()) {
            return new EffectiveScanning(ScanType.BASIC, ScanFrequency.SCAN_ON_PUSH, true, onPush);
        }
        if (repositoryScanOnPush) {
            return new EffectiveScanning(ScanType.BASIC, ScanFrequency.SCAN_ON_PUSH, true, List.of());
        }
        return new EffectiveScanning(ScanType.BASIC, ScanFrequency.MANUAL, false, List.of());
    }

    private List<String> matching(ScanFrequency frequency, String repository) {
        List<String> out = new ArrayList<>();
        for (ScanningRule r : rules) {
            if (r.frequency() == frequency) {
                out.addAll(r.matching(repository));
            }
        }
        return out;
    }
}
