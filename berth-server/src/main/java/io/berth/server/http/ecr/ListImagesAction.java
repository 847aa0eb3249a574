package io.berth.server.http.ecr;

import io.berth.core.model.Digest;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import io.berth.core.service.ImageCatalog;
import io.berth.core.service.RegistryService.Page;
import java.util.ArrayList;
import java.util.List;

/**
 * ListImages: one id per tag of each image, a digest-only id for an untagged one. Pages count images (a tagged
 * image with several tags yields several ids on one page). Only ACTIVE images unless {@code filter.imageStatus}
 * says otherwise.
 */
final class ListImagesAction
        implements EcrAction<ListImagesAction.ListImagesRequest, ListImagesAction.ListImagesResponse> {

    record ListImagesFilter(String tagStatus, String imageStatus) {}

    record ListImagesRequest(String registryId, String repositoryName, String nextToken, Integer maxResults,
                             ListImagesFilter filter) implements EcrTarget.InRepository {}

    record ListImagesResponse(List<Shapes.ImageIdentifier> imageIds, String nextToken) {}

    @Override
    public Class<ListImagesRequest> requestType() { return ListImagesRequest.class; }

    static ImageCatalog.TagStatus tagStatus(String value) {
        Validation.oneOf("filter.tagStatus", value, List.of("TAGGED", "UNTAGGED", "ANY"));
        return value == null ? ImageCatalog.TagStatus.ANY : ImageCatalog.TagStatus.valueOf(value);
    }

    /** ECR's {@code filter.imageStatus}; unset shows ACTIVE images only, as ECR does. */
    static ImageCatalog.StatusFilter imageStatus(String value) {
        Validation.oneOf("filter.imageStatus", value, List.of("ACTIVE", "ARCHIVED", "ACTIVATING", "ANY"));
        return value == null ? ImageCatalog.StatusFilter.ACTIVE : ImageCatalog.StatusFilter.valueOf(value);
    }

    @Override
    public ListImagesResponse handle(EcrCall call, ListImagesRequest q) {
        RepositoryName repo = call.repository();
        ImageCatalog.TagStatus status = tagStatus(q.filter() == null ? null : q.filter().tagStatus());
        ImageCatalog.StatusFilter imageStatus = imageStatus(q.filter() == null ? null : q.filter().imageStatus());
        int limit = Validation.maxResults(q.maxResults(), 1000);
        String after = NextToken.decode("list", q.nextToken());
        call.admin().require(repo);
        Page<ImageCatalog.Image> page = call.images().list(repo, after == null ? null : Digest.parse(after), limit,
                status, imageStatus);
        List<Shapes.ImageIdentifier> ids = new ArrayList<>();
        for (ImageCatalog.Image i : page.items()) {
            String digest = i.manifest().digest().toString();
            if (i.tags().isEmpty()) {
                ids.add(new Shapes.ImageIdentifier(digest, null));
            }
            for (Tag t : i.tags()) {
                ids.add(new Shapes.ImageIdentifier(digest, t.value()));
            }
        }
        String next = page.hasMore() ? NextToken.encode("list",
                page.items().get(page.items().size() - 1).manifest().digest().toString()) : null;
        return new ListImagesResponse(ids, next);
    }
}
