package io.berth.server.http.ecr;

import io.berth.core.service.LifecyclePolicyView;
import java.math.BigDecimal;

/** PutLifecyclePolicy, GetLifecyclePolicy and DeleteLifecyclePolicy: the stored policy text of one repository. */
final class LifecyclePolicyActions {
    private LifecyclePolicyActions() {}

    record PutLifecyclePolicyRequest(String registryId, String repositoryName, String lifecyclePolicyText)
            implements EcrTarget.InRepository {}

    record LifecyclePolicyRequest(String registryId, String repositoryName) implements EcrTarget.InRepository {}

    record PutLifecyclePolicyResponse(String registryId, String repositoryName, String lifecyclePolicyText) {}

    /** Get's and Delete's answer; {@code lastEvaluatedAt} is omitted until the policy has been evaluated. */
    record LifecyclePolicyResponse(String registryId, String repositoryName, String lifecyclePolicyText,
                                   BigDecimal lastEvaluatedAt) {
        static LifecyclePolicyResponse of(EcrCall call, LifecyclePolicyView r) {
            return new LifecyclePolicyResponse(call.registryId.value(), call.repository().value(), r.text(),
                    r.lastEvaluatedAt() == null ? null : Shapes.epoch(r.lastEvaluatedAt()));
        }
    }

    static final class Put implements EcrAction<PutLifecyclePolicyRequest, PutLifecyclePolicyResponse> {
        @Override public Class<PutLifecyclePolicyRequest> requestType() { return PutLifecyclePolicyRequest.class; }

        @Override
        public PutLifecyclePolicyResponse handle(EcrCall call, PutLifecyclePolicyRequest q) {
            Validation.required("lifecyclePolicyText", q.lifecyclePolicyText());
            ModelConstraints.length("lifecyclePolicyText", q.lifecyclePolicyText(), 100, 30_720);
            LifecyclePolicyView stored = call.lifecyclePolicies().put(call.repository(), q.lifecyclePolicyText());
            return new PutLifecyclePolicyResponse(call.registryId.value(), call.repository().value(), stored.text());
        }
    }

    static final class Get implements EcrAction<LifecyclePolicyRequest, LifecyclePolicyResponse> {
        @Override public Class<LifecyclePolicyRequest> requestType() { return LifecyclePolicyRequest.class; }

        @Override
        public LifecyclePolicyResponse handle(EcrCall call, LifecyclePolicyRequest q) {
            return LifecyclePolicyResponse.of(call, call.lifecyclePolicies().get(call.repository()));
        }
    }

    static final class Delete implements EcrAction<LifecyclePolicyRequest, LifecyclePolicyResponse> {
        @Override public Class<LifecyclePolicyRequest> requestType() { return LifecyclePolicyRequest.class; }

        @Override
        public LifecyclePolicyResponse handle(EcrCall call, LifecyclePolicyRequest q) {
            return LifecyclePolicyResponse.of(call, call.lifecyclePolicies().delete(call.repository()));
        }
    }
}
