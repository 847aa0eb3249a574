package io.berth.core.service;

import io.berth.core.lifecycle.LifecycleDecision;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where lifecycle evaluation sends its {@code transition} decisions (archive the image). Every transition goes
 * through {@link #transition}; {@link #archivingWith} is the archive storage class's.
 */
public interface LifecycleTransitions {

    /** Archives the image as {@code decision} says; false when it did not (it is then left as it is). */
    boolean transition(RegistryId registry, RepositoryName repository, LifecycleDecision decision);

    /**
     * Lifecycle transitions through the archive storage class: {@link ImageArchive#transition}, whose events and
     * audit name {@code berth:lifecycle} and the LIFECYCLE reason. An image the archive refuses (being restored, or
     * listed by an index that stays active) is left as it is, and evaluation goes on.
     */
    static LifecycleTransitions archivingWith(RegistryServices services) {
        Logger log = LoggerFactory.getLogger(LifecycleTransitions.class);
        return (registry, repository, decision) -> {
            try {
                ImageStorageView before = services.archive(registry, io.berth.core.event.EventRecorder.LIFECYCLE)
                        .status(repository, decision.digest());
                if (before.status() != ImageStorageView.Status.ACTIVE) {
                    return false;
                }
                services.archive(registry, io.berth.core.event.EventRecorder.LIFECYCLE)
                        .transition(repository, decision.digest());
                return true;
            } catch (io.berth.core.error.RegistryException e) {
                log.info("lifecycle: {}/{} {} not archived by rule {}: {}", registry, repository, decision.digest(),
                        decision.rulePriority(), e.getMessage());
                return false;
            }
        };
    }
}
