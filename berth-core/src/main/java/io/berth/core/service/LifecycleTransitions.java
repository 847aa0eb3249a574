package io.berth.core.service;

import io.berth.core.lifecycle.LifecycleDecision;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where lifecycle evaluation sends its {@code transition} decisions (archive the image). Every transition goes
 * through {@link #transition}, so the archive storage class plugs in here and nowhere else.
 */
public interface LifecycleTransitions {

    /** Archives the image as {@code decision} says; false when it did not (it is then left as it is). */
    boolean transition(RegistryId registry, RepositoryName repository, LifecycleDecision decision);

    /**
     * Until the archive storage class is wired in: logs each transition and skips it, so a policy's {@code
     * transition} rules are evaluated (and previewed) but archive nothing yet.
     */
    LifecycleTransitions NOT_WIRED = new LifecycleTransitions() {
        private final Logger log = LoggerFactory.getLogger(LifecycleTransitions.class);

        @Override
        public boolean transition(RegistryId registry, RepositoryName repository, LifecycleDecision decision) {
            log.info("lifecycle: {}/{} {} would be archived by rule {}, skipped: archive not yet wired", registry,
                    repository, decision.digest(), decision.rulePriority());
            return false;
        }
    };
}
