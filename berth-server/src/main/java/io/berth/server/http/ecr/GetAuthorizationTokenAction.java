package io.berth.server.http.ecr;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * GetAuthorizationToken: {@code base64("AWS:" + password)} for {@code docker login}, valid 12 hours. The deprecated
 * {@code registryIds} is validated and otherwise ignored, as ECR does ("can be used to access any Amazon ECR
 * registry that the IAM principal has access to").
 */
final class GetAuthorizationTokenAction implements EcrAction<GetAuthorizationTokenAction.GetAuthorizationTokenRequest,
        GetAuthorizationTokenAction.GetAuthorizationTokenResponse> {

    record GetAuthorizationTokenRequest(List<String> registryIds) {}

    record GetAuthorizationTokenResponse(List<Shapes.AuthorizationData> authorizationData) {}

    @Override
    public Class<GetAuthorizationTokenRequest> requestType() { return GetAuthorizationTokenRequest.class; }

    @Override
    public GetAuthorizationTokenResponse handle(EcrCall call, GetAuthorizationTokenRequest q) {
        Validation.size("registryIds", q.registryIds(), 1, 10);
        if (q.registryIds() != null) {
            q.registryIds().forEach(id -> Validation.pattern("registryIds.member", id, "[0-9]{12}"));
        }
        RegistryTokenIssuer.Issued issued = call.context.tokens().issue(call.principal, call.region);
        String token = Base64.getEncoder().encodeToString(("AWS:" + issued.password())
                .getBytes(StandardCharsets.UTF_8));
        return new GetAuthorizationTokenResponse(List.of(new Shapes.AuthorizationData(token,
                Shapes.epoch(issued.expiresAt()), call.proxyEndpoint())));
    }
}
