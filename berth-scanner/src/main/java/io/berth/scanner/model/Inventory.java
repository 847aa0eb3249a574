package io.berth.scanner.model;

import java.util.List;

/**
 * What one image (a single platform's manifest) contains: its distribution, when it has an {@code os-release}, and
 * every package found, in a stable order. This is what gets stored per image, matched against vulnerability data,
 * and written out as the CycloneDX SBOM.
 */
public record Inventory(Distribution distribution, List<InstalledPackage> packages) {
    public Inventory {
        packages = List.copyOf(packages);
    }
}
