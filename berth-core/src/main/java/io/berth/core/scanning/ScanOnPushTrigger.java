package io.berth.core.scanning;

import io.berth.core.event.EventRecorder;
import io.berth.core.job.EventTrigger;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.region.Regions;
import io.berth.core.spi.meta.RegistryEvent;
import io.berth.core.spi.meta.RegistryEvent.Type;
import java.util.Optional;

/**
 * Scan on push: an IMAGE_PUSHED event starts the image's scan when the registry's configuration (or, under BASIC,
 * the repository's own {@code scanOnPush}) says so at the time the event is read. What the scanner itself pushes
 * (SBOMs) and the signer's signatures start nothing.
 */
public final class ScanOnPushTrigger implements EventTrigger {
    private final ImageScanning scanning;
    private final Regions regions; // null: a one-region deployment, whose registries are all region-less

    public ScanOnPushTrigger(ImageScanning scanning) {
        this(scanning, null);
    }

    public ScanOnPushTrigger(ImageScanning scanning, Regions regions) {
        this.scanning = scanning;
        this.regions = regions;
    }

    @Override
    public String subscriber() { return "scan-on-push"; }

    @Override
    public Optional<TriggeredJob> jobFor(RegistryEvent e) {
        if (e.type() != Type.IMAGE_PUSHED || e.digest() == null || e.repository() == null
                || EventRecorder.SCANNER.equals(e.principal())
                || io.berth.core.signing.ImageSigning.ACTOR.equals(e.principal())) {
            return Optional.empty();
        }
        RegistryId registry = regions == null ? new RegistryId(e.account()) : regions.registry(e.account(), e.region());
        RepositoryName repo = RepositoryName.of(e.repository());
        if (!scanning.scansOnPush(registry, repo)) {
            return Optional.empty();
        }
        String target = ImageScanning.target(registry, repo, e.digest());
        return Optional.of(new TriggeredJob(ImageScanning.JOB_KIND, target, ImageScanning.uniqueKey(target),
                ImageScanning.MAX_ATTEMPTS));
    }
}
