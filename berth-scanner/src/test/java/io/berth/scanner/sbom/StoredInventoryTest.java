package io.berth.scanner.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Descriptor;
import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.scanner.model.Distribution;
import io.berth.scanner.model.Ecosystem;
import io.berth.scanner.model.InstalledPackage;
import io.berth.scanner.model.Inventory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SBOM Berth attaches reads back to the inventory it was written from; other SBOMs are refused. */
class StoredInventoryTest {
    private static final Descriptor IMAGE = new Descriptor(MediaTypes.OCI_MANIFEST,
            Digest.sha256Of("image".getBytes(StandardCharsets.UTF_8)), 1, null, Map.of());

    @Test
    void writtenInventory_readsBackEqual_everyEcosystemAndTheDistribution() {
        Inventory inv = new Inventory(new Distribution("rocky", "9.3", null, "rhel centos fedora", "9.3 (Blue Onyx)",
                "Rocky Linux 9.3 (Blue Onyx)"), List.of(
                new InstalledPackage(Ecosystem.RPM, "openssl-libs", "1:3.0.7-24.el9", "openssl",
                        "var/lib/rpm/rpmdb.sqlite"),
                new InstalledPackage(Ecosystem.DEBIAN, "bsdutils", "1:2.36.1-8+deb11u1", "util-linux",
                        "var/lib/dpkg/status", "2.36.1-8+deb11u1"),
                new InstalledPackage(Ecosystem.MAVEN, "org.apache.logging.log4j:log4j-core", "2.14.1", null,
                        "app/lib/log4j-core-2.14.1.jar"),
                new InstalledPackage(Ecosystem.NPM, "@babel/core", "7.1.0", null, "app/node_modules/@babel/core"),
                new InstalledPackage(Ecosystem.GO, "golang.org/x/net", "v0.1.0", null, "usr/bin/app"),
                new InstalledPackage(Ecosystem.PYPI, "Jinja2", "2.10", null, "usr/lib/python3/site-packages")));
        byte[] sbom = CycloneDx.write(inv, IMAGE, Instant.parse("2026-12-01T12:00:00Z"));
        assertThat(StoredInventory.read(sbom)).contains(inv);
    }

    @Test
    void sbomOfAnotherTool_orWithoutEcosystems_isRefused() {
        Inventory inv = new Inventory(null, List.of(new InstalledPackage(Ecosystem.NPM, "ws", "1.0.0", null,
                "node_modules/ws")));
        String sbom = new String(CycloneDx.write(inv, IMAGE, Instant.EPOCH), StandardCharsets.UTF_8);
        assertThat(StoredInventory.read(sbom.replace("berth-scanner", "syft").getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
        assertThat(StoredInventory.read(sbom.replace("berth:ecosystem", "x").getBytes(StandardCharsets.UTF_8)))
                .as("an SBOM written before the ecosystem was recorded").isEmpty();
        assertThat(StoredInventory.read("not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }
}
