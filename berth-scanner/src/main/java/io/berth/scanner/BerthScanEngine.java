package io.berth.scanner;

import io.berth.core.event.EventRecorder;
import io.berth.core.model.Descriptor;
import io.berth.core.model.Digest;
import io.berth.core.model.Reference;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.scanning.ImageScanEngine;
import io.berth.core.scanning.ScanOutcome;
import io.berth.core.service.RegistryService;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.meta.ManifestRecord;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.scanner.image.ImageScanner;
import io.berth.scanner.layer.WalkLimits;
import io.berth.scanner.match.VulnerabilityMatcher;
import io.berth.scanner.model.Inventory;
import io.berth.scanner.result.ScanOutcome.Failed;
import io.berth.scanner.result.ScanOutcome.IndexOf;
import io.berth.scanner.result.ScanOutcome.Scanned;
import io.berth.scanner.result.ScanOutcome.Unsupported;
import io.berth.scanner.sbom.CycloneDx;
import io.berth.scanner.sbom.SbomArtifact;
import io.berth.scanner.sbom.StoredInventory;
import io.berth.scanner.vulndb.SourceStatus;
import io.berth.scanner.vulndb.VulnerabilityStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Berth's scanner behind {@link ImageScanEngine}: the image's manifest and layers straight from the stores (a scan is
 * not a pull, so it records no pull time), the inventory by {@link ImageScanner}, the findings by
 * {@link VulnerabilityMatcher}, and the inventory attached to the image as a CycloneDX SBOM referrer. An index is
 * scanned child by child and its findings are the union of its images'.
 */
public final class BerthScanEngine implements ImageScanEngine {
    private final MetadataStore metadata;
    private final BlobStore blobs;
    private final VulnerabilityStore vulnerabilities;
    private final Function<RegistryId, RegistryService> registries;
    private final ImageScanner scanner = new ImageScanner(WalkLimits.DEFAULT);
    private final VulnerabilityMatcher matcher;
    /** A stored SBOM larger than this is not read back (the layers are read instead). */
    static final int MAX_SBOM_BYTES = 64 * 1024 * 1024;

    /** @param registries the data plane per registry, through which the SBOM referrer is pushed */
    public BerthScanEngine(MetadataStore metadata, BlobStore blobs, VulnerabilityStore vulnerabilities,
                           Function<RegistryId, RegistryService> registries) {
        this.metadata = metadata;
        this.blobs = blobs;
        this.vulnerabilities = vulnerabilities;
        this.registries = registries;
        this.matcher = new VulnerabilityMatcher(vulnerabilities);
    }

    @Override
    public ScanOutcome scan(RegistryId registry, RepositoryName repository, Digest digest) throws Exception {
        Optional<ManifestRecord> top = manifest(registry, repository, digest);
        if (top.isEmpty()) {
            return ScanOutcome.failed("the image is no longer in the repository");
        }
        Instant dataAsOf = dataAsOf();
        List<ManifestRecord> images = new ArrayList<>();
        io.berth.scanner.result.ScanOutcome first = scanner.scan(top.get().mediaType(), top.get().content(),
                d -> blobs.open(d, 0, -1).stream());
        Map<Digest, Inventory> inventories = new LinkedHashMap<>();
        if (first instanceof IndexOf index) {
            for (Descriptor child : index.children()) {
                Optional<ManifestRecord> m = manifest(registry, repository, child.digest());
                if (m.isEmpty()) {
                    continue; // a child on another registry's side of a mount: not in this repository
                }
                io.berth.scanner.result.ScanOutcome o = scanner.scan(m.get().mediaType(), m.get().content(),
                        d -> blobs.open(d, 0, -1).stream());
                if (o instanceof Scanned s) {
                    inventories.put(child.digest(), s.inventory());
                    images.add(m.get());
                } else if (o instanceof Failed f) {
                    return ScanOutcome.failed("image " + child.digest() + " of the index: " + f.message());
                }
            }
            if (inventories.isEmpty()) {
                return ScanOutcome.unsupported("the index lists no container image of this repository");
            }
        } else if (first instanceof Scanned s) {
            inventories.put(digest, s.inventory());
            images.add(top.get());
        } else if (first instanceof Unsupported u) {
            return ScanOutcome.unsupported(u.why());
        } else if (first instanceof Failed f) {
            return ScanOutcome.failed(f.reason() + ": " + f.message());
        }
        for (ManifestRecord image : images) {
            attachSbom(registry, repository, image, inventories.get(image.digest()));
        }
        return matched(inventories, dataAsOf);
    }

    /**
     * A rescan after a data update: the inventories stored with the image (its SBOM referrers, one per image of an
     * index) matched against the current data, without reading a layer. An image without a readable stored
     * inventory (never scanned by this version, its SBOM deleted) is scanned in full instead.
     */
    @Override
    public ScanOutcome rematch(RegistryId registry, RepositoryName repository, Digest digest) throws Exception {
        Optional<ManifestRecord> top = manifest(registry, repository, digest);
        if (top.isEmpty()) {
            return ScanOutcome.failed("the image is no longer in the repository");
        }
        Instant dataAsOf = dataAsOf();
        List<Digest> images = new ArrayList<>();
        if (io.berth.core.model.MediaTypes.isIndex(top.get().mediaType())) {
            io.berth.scanner.result.ScanOutcome index = scanner.scan(top.get().mediaType(), top.get().content(),
                    d -> { throw new IOException("an index has no layers"); });
            if (!(index instanceof IndexOf children)) {
                return scan(registry, repository, digest);
            }
            for (Descriptor child : children.children()) {
                if (manifest(registry, repository, child.digest()).isPresent()) {
                    images.add(child.digest());
                }
            }
        } else {
            images.add(digest);
        }
        Map<Digest, Inventory> inventories = new LinkedHashMap<>();
        for (Digest image : images) {
            Optional<Inventory> stored = storedInventory(registry, repository, image);
            if (stored.isEmpty()) {
                return scan(registry, repository, digest);
            }
            inventories.put(image, stored.get());
        }
        if (inventories.isEmpty()) {
            return scan(registry, repository, digest);
        }
        return matched(inventories, dataAsOf);
    }

    /** The newest SBOM referrer of {@code image} that Berth wrote, read back; empty when there is none. */
    private Optional<Inventory> storedInventory(RegistryId registry, RepositoryName repository, Digest image)
            throws IOException {
        List<ManifestRecord> sboms = metadata.read(tx -> tx.repositories().get(registry, repository)
                .map(r -> tx.manifests().referrers(r.id(), image, CycloneDx.MEDIA_TYPE)).orElse(List.of()));
        List<ManifestRecord> newestFirst = new ArrayList<>(sboms);
        newestFirst.sort(java.util.Comparator.comparing(ManifestRecord::pushedAt).reversed());
        for (ManifestRecord m : newestFirst) {
            Optional<Digest> layer = SbomArtifact.sbomDigest(m.content());
            if (layer.isEmpty()) {
                continue;
            }
            byte[] sbom;
            try (var in = blobs.open(layer.get(), 0, -1).stream()) {
                sbom = in.readNBytes(MAX_SBOM_BYTES + 1);
            } catch (IOException e) {
                continue; // the blob is gone: another referrer, or the layers
            }
            if (sbom.length > MAX_SBOM_BYTES) {
                continue;
            }
            Optional<Inventory> inventory = StoredInventory.read(sbom);
            if (inventory.isPresent()) {
                return inventory;
            }
        }
        return Optional.empty();
    }

    /** The findings of these inventories (one per image; an index's are the union) and their package index. */
    private ScanOutcome matched(Map<Digest, Inventory> inventories, Instant dataAsOf) {
        List<io.berth.core.scanning.Finding> findings = new ArrayList<>();
        Map<String, io.berth.core.scanning.Finding> unique = new LinkedHashMap<>();
        int packages = 0;
        java.util.Set<io.berth.core.spi.meta.ScanStore.PackageKey> keys = new java.util.LinkedHashSet<>();
        for (Map.Entry<Digest, Inventory> e : inventories.entrySet()) {
            packages += e.getValue().packages().size();
            e.getValue().packages().forEach(p -> keys.add(VulnerabilityMatcher.key(p, e.getValue().distribution())));
            for (io.berth.scanner.match.Finding f : matcher.match(e.getValue()).findings()) {
                io.berth.core.scanning.Finding c = Findings.toCore(f);
                unique.putIfAbsent(c.vulnerabilityId() + "\u0000" + c.packageName() + "\u0000"
                        + c.packageVersion() + "\u0000" + c.filePath(), c);
            }
        }
        findings.addAll(unique.values());
        return new io.berth.core.scanning.ScanOutcome("COMPLETE", "The scan was completed successfully: "
                + packages + " packages, " + findings.size() + " findings", dataAsOf, findings, List.copyOf(keys));
    }

    private Optional<ManifestRecord> manifest(RegistryId registry, RepositoryName repository, Digest digest) {
        return metadata.read(tx -> tx.repositories().get(registry, repository)
                .flatMap(r -> tx.manifests().get(r.id(), digest)));
    }

    /** The newest date of the vulnerability data (ECR's vulnerabilitySourceUpdatedAt), or null without data. */
    private Instant dataAsOf() {
        return vulnerabilities.sources().stream()
                .map(s -> s.newest() != null ? s.newest() : s.importedAt()).filter(Objects::nonNull)
                .max(Instant::compareTo).orElse(null);
    }

    /**
     * Pushes the image's inventory as a CycloneDX referrer. Its created time is the image's push time, so a rescan
     * of an unchanged image writes the same artifact (the same digest), not a new one each time.
     */
    private void attachSbom(RegistryId registry, RepositoryName repository, ManifestRecord image, Inventory inv)
            throws Exception {
        Descriptor subject = new Descriptor(image.mediaType(), image.digest(), image.size(), null, Map.of());
        byte[] sbom = CycloneDx.write(inv, subject, image.pushedAt());
        SbomArtifact artifact = SbomArtifact.of(subject, sbom, image.pushedAt());
        RegistryService plane = registries.apply(registry).actingAsServer(EventRecorder.SCANNER);
        for (Map.Entry<Digest, byte[]> b : artifact.blobs().entrySet()) {
            plane.uploadMonolithic(repository, b.getKey(), new ByteArrayInputStream(b.getValue()),
                    b.getValue().length);
        }
        plane.putManifest(repository, new Reference.ByDigest(artifact.manifestDigest()),
                artifact.manifestMediaType(), artifact.manifest());
    }

    /** For status lines: the sources and their newest dates. */
    public List<SourceStatus> sources() { return vulnerabilities.sources(); }
}
