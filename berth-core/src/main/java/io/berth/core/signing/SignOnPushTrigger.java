package io.berth.core.signing;

import io.berth.core.event.EventRecorder;
import io.berth.core.job.EventTrigger;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.spi.meta.RegistryEvent;
import io.berth.core.spi.meta.RegistryEvent.Type;
import java.util.Optional;

/**
 * Managed signing: an IMAGE_PUSHED event starts the image's signing job when a rule of the registry's signing
 * configuration covers its repository at the time the event is read. What the server itself pushes (signatures,
 * SBOMs) starts nothing: a signature is never signed.
 */
public final class SignOnPushTrigger implements EventTrigger {
    private final ImageSigning signing;

    public SignOnPushTrigger(ImageSigning signing) {
        this.signing = signing;
    }

    @Override
    public String subscriber() { return "sign-on-push"; }

    @Override
    public Optional<TriggeredJob> jobFor(RegistryEvent e) {
        if (e.type() != Type.IMAGE_PUSHED || e.digest() == null || e.repository() == null
                || ImageSigning.ACTOR.equals(e.principal()) || EventRecorder.SCANNER.equals(e.principal())) {
            return Optional.empty();
        }
        // the event's region names the registry pushed to: its own configuration, its own profiles
        RegistryId registry = signing.regions().registry(e.account(), e.region());
        RepositoryName repo = RepositoryName.of(e.repository());
        if (!signing.signsOnPush(registry, repo)) {
            return Optional.empty();
        }
        String image = ImageSigning.target(registry, repo, e.digest());
        return Optional.of(new TriggeredJob(ImageSigning.JOB_KIND,
                ImageSigning.target(registry, repo, e.digest(), e.principal()), ImageSigning.uniqueKey(image),
                ImageSigning.MAX_ATTEMPTS));
    }
}
