package io.berth.server.boot;

import io.berth.core.auth.Principal;
import io.berth.core.replication.ReplicationPermission;
import io.berth.core.signing.SigningPermission;
import io.berth.server.access.AccessControl;
import io.berth.server.config.BerthConfig;
import java.util.Optional;

/**
 * The access rules that background work asks on behalf of a user: replication into another account and managed
 * signing. Both go through the same {@link AccessControl} as the APIs, and both allow everything when authentication
 * is off.
 */
final class Permissions {
    private final BerthConfig config;
    private final AccessControl access;

    Permissions(BerthConfig config, AccessControl access) {
        this.config = config;
        this.access = access;
    }

    /**
     * ECR's rule for another account's registry: its registry policy must allow {@code ecr:ReplicateImage} to the
     * source account (evaluated as that account's root, so only a resource-policy grant can allow it).
     */
    ReplicationPermission replication() {
        if (config.auth().insecureNoAuth()) {
            return ReplicationPermission.ANY;
        }
        return (source, destination, repository) -> {
            Principal as = Principal.root(source.account(), null);
            return access.allowed(as, "ecr:ReplicateImage", destination, repository.value(),
                    AccessControl.Origin.UNKNOWN) ? Optional.empty()
                    : Optional.of("the registry policy of " + destination.value() + " in " + config.regions().regions()
                    .nameOf(destination) + " does not allow ecr:ReplicateImage to account " + source.value());
        };
    }

    /** ECR's rule for managed signing: the pusher needs {@code signer:SignPayload} on the profile. */
    SigningPermission signing() {
        if (config.auth().insecureNoAuth()) {
            return SigningPermission.ANY;
        }
        return (registry, pusher, profileArn) -> {
            if (pusher != null && pusher.startsWith("berth:")) {
                return Optional.empty(); // the server itself pushed an image it had accepted (replication, berth admin)
            }
            Optional<Principal> p = Principal.fromArn(pusher);
            return p.isPresent() && access.allowedOnResource(p.get(), "signer:SignPayload", registry, profileArn)
                    ? Optional.empty()
                    : Optional.of("User: " + (pusher == null ? "unknown" : pusher) + " is not authorized to perform: "
                    + "signer:SignPayload on resource: " + profileArn + " (managed signing signs with the identity"
                    + " of the entity pushing the image)");
        };
    }
}
