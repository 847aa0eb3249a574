package io.berth.server.http.ecr;

import java.util.List;

/** ListTagsForResource: the resource tags of a repository ARN. */
final class ListTagsForResourceAction implements EcrAction<ListTagsForResourceAction.ListTagsForResourceRequest,
        ListTagsForResourceAction.ListTagsForResourceResponse> {

    record ListTagsForResourceRequest(String resourceArn) implements EcrTarget.OnResource {}

    record ListTagsForResourceResponse(List<Shapes.Tag> tags) {}

    @Override
    public Class<ListTagsForResourceRequest> requestType() { return ListTagsForResourceRequest.class; }

    @Override
    public ListTagsForResourceResponse handle(EcrCall call, ListTagsForResourceRequest q) {
        var name = call.repository();
        return new ListTagsForResourceResponse(call.admin().resourceTags(name).entrySet().stream()
                .map(e -> new Shapes.Tag(e.getKey(), e.getValue())).toList());
    }
}
