package io.berth.server.http.ecr;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.server.access.Policies;
import java.util.List;

/**
 * PutRegistryPolicy, GetRegistryPolicy, DeleteRegistryPolicy, and the account setting that decides the registry
 * policy's scope (GetAccountSetting / PutAccountSetting with {@code REGISTRY_POLICY_SCOPE} = V1 | V2).
 */
final class RegistryPolicyActions {
    private RegistryPolicyActions() {}

    record PutRegistryPolicyRequest(String policyText) {}

    record RegistryPolicyRequest() {}

    record RegistryPolicyResponse(String registryId, String policyText) {}

    record AccountSettingRequest(String name, String value) {}

    record AccountSettingResponse(String name, String value) {}

    static final class Put implements EcrAction<PutRegistryPolicyRequest, RegistryPolicyResponse> {
        @Override public Class<PutRegistryPolicyRequest> requestType() { return PutRegistryPolicyRequest.class; }

        @Override
        public RegistryPolicyResponse handle(EcrCall call, PutRegistryPolicyRequest q) {
            Validation.required("policyText", q.policyText());
            call.policies().putRegistryPolicy(call.registryId, q.policyText());
            return new RegistryPolicyResponse(call.registryId.value(), q.policyText());
        }
    }

    static final class Get implements EcrAction<RegistryPolicyRequest, RegistryPolicyResponse> {
        @Override public Class<RegistryPolicyRequest> requestType() { return RegistryPolicyRequest.class; }

        @Override
        public RegistryPolicyResponse handle(EcrCall call, RegistryPolicyRequest q) {
            return new RegistryPolicyResponse(call.registryId.value(),
                    call.policies().registryPolicy(call.registryId).orElseThrow(() -> notFound(call)));
        }
    }

    static final class Delete implements EcrAction<RegistryPolicyRequest, RegistryPolicyResponse> {
        @Override public Class<RegistryPolicyRequest> requestType() { return RegistryPolicyRequest.class; }

        @Override
        public RegistryPolicyResponse handle(EcrCall call, RegistryPolicyRequest q) {
            String text = call.policies().registryPolicy(call.registryId).orElseThrow(() -> notFound(call));
            if (!call.policies().deleteRegistryPolicy(call.registryId)) {
                throw notFound(call);
            }
            return new RegistryPolicyResponse(call.registryId.value(), text);
        }
    }

    static final class GetSetting implements EcrAction<AccountSettingRequest, AccountSettingResponse> {
        @Override public Class<AccountSettingRequest> requestType() { return AccountSettingRequest.class; }

        @Override
        public AccountSettingResponse handle(EcrCall call, AccountSettingRequest q) {
            checkName(q.name());
            return new AccountSettingResponse(q.name(), call.policies().registryPolicyScope(call.registryId));
        }
    }

    static final class PutSetting implements EcrAction<AccountSettingRequest, AccountSettingResponse> {
        @Override public Class<AccountSettingRequest> requestType() { return AccountSettingRequest.class; }

        @Override
        public AccountSettingResponse handle(EcrCall call, AccountSettingRequest q) {
            checkName(q.name());
            Validation.required("value", q.value());
            call.policies().setRegistryPolicyScope(call.registryId, q.value());
            return new AccountSettingResponse(q.name(), q.value());
        }
    }

    /** Berth keeps only the setting that changes access decisions. */
    private static void checkName(String name) {
        Validation.required("name", name);
        Validation.oneOf("name", name, List.of(Policies.REGISTRY_POLICY_SCOPE));
    }

    private static RegistryException notFound(EcrCall call) {
        return new RegistryException(ErrorCode.REGISTRY_POLICY_NOT_FOUND,
                "Registry policy does not exist in the registry with id '" + call.registryId + "'");
    }
}
