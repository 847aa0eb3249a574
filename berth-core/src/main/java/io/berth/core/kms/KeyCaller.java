package io.berth.core.kms;

import io.berth.core.auth.Principal;
import io.berth.core.model.RegistryId;

/**
 * Who calls the key service, and in which registry: the principal (authorized through its IAM identity, which is
 * region-less) and the account's registry in the region the call was signed for, where its key IDs and aliases
 * resolve and its new keys are made.
 */
public record KeyCaller(Principal principal, RegistryId registry) {
    /** The principal's own account in the default region (one-region deployments, tests). */
    public static KeyCaller of(Principal principal) {
        return new KeyCaller(principal, principal.account());
    }
}
