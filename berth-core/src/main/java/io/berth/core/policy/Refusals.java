package io.berth.core.policy;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;

/**
 * Builds the one exception a refused policy produces, in ECR's InvalidParameterException form
 * (ecr-semantics §1.3): {@code Invalid parameter at '<field>' failed to satisfy constraint: 'Invalid <kind> policy
 * provided'}, followed by {@code ": "} and the precise reason, which ECR does not give but clients need.
 */
record Refusals(PolicyKind kind, String field) {

    RegistryException refuse(String reason) {
        return new RegistryException(ErrorCode.INVALID_PARAMETER, prefix() + ": " + reason);
    }

    String prefix() {
        return "Invalid parameter at '" + field + "' failed to satisfy constraint: 'Invalid " + kind.label()
                + " policy provided'";
    }
}
