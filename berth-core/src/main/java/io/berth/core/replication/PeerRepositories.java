package io.berth.core.replication;

import io.berth.core.model.RepositoryName;
import io.berth.core.spi.meta.RepositorySettings;
import java.io.IOException;

/**
 * Creates a destination repository at a peer over the peer's ECR API (CreateRepository, signed for the peer's
 * region), with the source repository's settings, before the image is pushed over its {@code /v2}. An existing
 * repository is fine. The server implements it (the signing lives there).
 */
@FunctionalInterface
public interface PeerRepositories {
    /** Leaves creation to the peer's create-on-push. */
    PeerRepositories CREATE_ON_PUSH = (peer, repository, settings) -> { };

    void ensure(Peer peer, RepositoryName repository, RepositorySettings settings) throws IOException;
}
