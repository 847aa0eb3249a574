package io.berth.server.http.ecr;

import io.berth.core.auth.Principal;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;
import io.berth.core.policy.Decision;
import io.berth.core.policy.PolicyDocument;
import io.berth.core.policy.PolicyParser;
import io.berth.server.access.AccessControl;

/**
 * SetRepositoryPolicy's validation, shared by the API and the console's editor so both refuse the same texts with
 * the same messages: the policy library's parse, then (unless {@code force}) ECR's lock-out protection.
 */
public final class RepositoryPolicyCheck {
    private RepositoryPolicyCheck() {}

    /** The parsed policy; throws InvalidParameterException as SetRepositoryPolicy does. */
    public static PolicyDocument check(AccessControl access, Principal principal, RegistryId registry,
                                       String repository, String policyText, boolean force) {
        Validation.required("policyText", policyText);
        PolicyDocument doc = PolicyParser.repository().parse(policyText);
        if (!force && access != null) {
            Decision d = access.decideWith(principal, "ecr:SetRepositoryPolicy", registry, repository, doc);
            if (!d.allowed()) {
                throw new RegistryException(ErrorCode.INVALID_PARAMETER, "Invalid parameter at 'PolicyText' "
                        + "failed to satisfy constraint: 'The repository policy would prevent the caller from "
                        + "setting a repository policy in the future (" + d.describe() + "); set force to "
                        + "apply it anyway'");
            }
        }
        return doc;
    }
}
