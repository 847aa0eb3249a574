package io.berth.core.kms;

import io.berth.core.auth.Principal;
import io.berth.core.model.RegistryId;

/**
 * Authorizes a key service call with the IAM policy engine: the caller's identity policies and, for an operation
 * on one key, that key's policy as the resource policy. The server implements it; null under
 * {@code --insecure-no-auth}.
 */
public interface KeyAccess {
    /**
     * Throws DENIED (AccessDeniedException) unless allowed.
     *
     * @param resourceArn the key's ARN, or {@code *} for account-level actions (CreateKey, ListKeys, ListAliases)
     * @param keyPolicy   the key's policy text, or null for account-level actions
     */
    void require(Principal principal, String action, RegistryId account, String resourceArn, String keyPolicy);
}
