package io.berth.server.http.ecr;

import java.util.List;

/** TagResource: adds or overwrites resource tags of a repository ARN (at most 50 in all). */
final class TagResourceAction
        implements EcrAction<TagResourceAction.TagResourceRequest, TagResourceAction.TagResourceResponse> {

    record TagResourceRequest(String resourceArn, List<Shapes.Tag> tags) implements EcrTarget.OnResource {}

    record TagResourceResponse() {}

    @Override
    public Class<TagResourceRequest> requestType() { return TagResourceRequest.class; }

    @Override
    public TagResourceResponse handle(EcrCall call, TagResourceRequest q) {
        var name = call.repository();
        Validation.required("tags", q.tags());
        call.admin().tag(name, SettingsInput.tags(q.tags()));
        return new TagResourceResponse();
    }
}
