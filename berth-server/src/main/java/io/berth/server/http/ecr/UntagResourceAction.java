package io.berth.server.http.ecr;

import java.util.List;

/** UntagResource: removes resource tags by key. */
final class UntagResourceAction
        implements EcrAction<UntagResourceAction.UntagResourceRequest, UntagResourceAction.UntagResourceResponse> {

    record UntagResourceRequest(String resourceArn, List<String> tagKeys) implements EcrTarget.OnResource {}

    record UntagResourceResponse() {}

    @Override
    public Class<UntagResourceRequest> requestType() { return UntagResourceRequest.class; }

    @Override
    public UntagResourceResponse handle(EcrCall call, UntagResourceRequest q) {
        var name = call.repository();
        Validation.required("tagKeys", q.tagKeys());
        for (String k : q.tagKeys()) {
            if (k == null || k.isEmpty() || k.length() > 128) {
                throw SettingsInput.invalidTag();
            }
        }
        call.admin().untag(name, q.tagKeys());
        return new UntagResourceResponse();
    }
}
