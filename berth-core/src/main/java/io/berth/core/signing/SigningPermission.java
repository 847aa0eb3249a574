package io.berth.core.signing;

import io.berth.core.model.RegistryId;
import java.util.Optional;

/**
 * Whether the entity that pushed an image may have it signed: ECR's managed signing signs "using the identity of
 * the entity pushing the image", so the pusher needs {@code signer:SignPayload} on the profile. The server answers
 * it with its policy engine; without authentication (--insecure-no-auth) every pusher may.
 */
@FunctionalInterface
public interface SigningPermission {
    SigningPermission ANY = (registry, pusherArn, profileArn) -> Optional.empty();

    /**
     * @param pusherArn the pushing principal's ARN as the push event names it (null when the event has none)
     * @return empty when allowed; else the reason, shown as the image's failureReason
     */
    Optional<String> refusal(RegistryId registry, String pusherArn, String profileArn);
}
