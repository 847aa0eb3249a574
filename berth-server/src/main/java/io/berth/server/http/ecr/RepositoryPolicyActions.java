package io.berth.server.http.ecr;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RepositoryName;
import io.berth.core.policy.PolicyDocument;

/** SetRepositoryPolicy, GetRepositoryPolicy and DeleteRepositoryPolicy: three small actions on one stored text. */
final class RepositoryPolicyActions {
    private RepositoryPolicyActions() {}

    record SetRepositoryPolicyRequest(String registryId, String repositoryName, String policyText, Boolean force)
            implements EcrTarget.InRepository {}

    record RepositoryPolicyRequest(String registryId, String repositoryName) implements EcrTarget.InRepository {}

    /** The response of all three: ECR answers with the (new, current or deleted) policy text. */
    record RepositoryPolicyResponse(String registryId, String repositoryName, String policyText) {}

    /**
     * Validates with the policy library and, unless {@code force}, refuses a policy under which the caller could
     * not set a policy again (ECR's lock-out protection).
     */
    static final class Set implements EcrAction<SetRepositoryPolicyRequest, RepositoryPolicyResponse> {
        @Override public Class<SetRepositoryPolicyRequest> requestType() { return SetRepositoryPolicyRequest.class; }

        @Override
        public RepositoryPolicyResponse handle(EcrCall call, SetRepositoryPolicyRequest q) {
            RepositoryName repo = call.repository();
            Validation.required("policyText", q.policyText());
            call.admin().require(repo);
            PolicyDocument doc = RepositoryPolicyCheck.check(call.context.access(), call.principal, call.registryId,
                    repo.value(), q.policyText(), Boolean.TRUE.equals(q.force()));
            call.policies().setRepositoryPolicy(call.registryId, repo.value(), doc);
            return new RepositoryPolicyResponse(call.registryId.value(), repo.value(), q.policyText());
        }
    }

    static final class Get implements EcrAction<RepositoryPolicyRequest, RepositoryPolicyResponse> {
        @Override public Class<RepositoryPolicyRequest> requestType() { return RepositoryPolicyRequest.class; }

        @Override
        public RepositoryPolicyResponse handle(EcrCall call, RepositoryPolicyRequest q) {
            RepositoryName repo = call.repository();
            call.admin().require(repo);
            String text = call.policies().repositoryPolicy(call.registryId, repo.value())
                    .orElseThrow(() -> notFound(call, repo));
            return new RepositoryPolicyResponse(call.registryId.value(), repo.value(), text);
        }
    }

    static final class Delete implements EcrAction<RepositoryPolicyRequest, RepositoryPolicyResponse> {
        @Override public Class<RepositoryPolicyRequest> requestType() { return RepositoryPolicyRequest.class; }

        @Override
        public RepositoryPolicyResponse handle(EcrCall call, RepositoryPolicyRequest q) {
            RepositoryName repo = call.repository();
            call.admin().require(repo);
            String text = call.policies().repositoryPolicy(call.registryId, repo.value())
                    .orElseThrow(() -> notFound(call, repo));
            if (!call.policies().deleteRepositoryPolicy(call.registryId, repo.value())) {
                throw notFound(call, repo); // deleted concurrently
            }
            return new RepositoryPolicyResponse(call.registryId.value(), repo.value(), text);
        }
    }

    private static RegistryException notFound(EcrCall call, RepositoryName repo) {
        return new RegistryException(ErrorCode.REPOSITORY_POLICY_NOT_FOUND, "Repository policy does not exist for "
                + "the repository with name '" + repo + "' in the registry with id '" + call.registryId + "'");
    }
}
