package io.berth.server.http.ecr;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.Digest;
import io.berth.core.scanning.ImageScan;
import io.berth.core.scanning.ImageScanning;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.ImageCatalog;
import io.berth.core.service.RegistryService.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * DescribeImages: image details by ids (each must exist, in whatever storage class) or paginated with the tagStatus
 * and imageStatus filters (ACTIVE images only unless {@code filter.imageStatus} says otherwise, as ECR).
 */
final class DescribeImagesAction
        implements EcrAction<DescribeImagesAction.DescribeImagesRequest, DescribeImagesAction.DescribeImagesResponse> {

    record DescribeImagesFilter(String tagStatus, String imageStatus) {}

    record DescribeImagesRequest(String registryId, String repositoryName, List<Shapes.ImageIdentifier> imageIds,
                                 String nextToken, Integer maxResults, DescribeImagesFilter filter)
            implements EcrTarget.InRepository {}

    record DescribeImagesResponse(List<Shapes.ImageDetail> imageDetails, String nextToken) {}

    @Override
    public Class<DescribeImagesRequest> requestType() { return DescribeImagesRequest.class; }

    @Override
    public DescribeImagesResponse handle(EcrCall call, DescribeImagesRequest q) {
        RepositoryName repo = call.repository();
        ImageCatalog.TagStatus status = ListImagesAction.tagStatus(q.filter() == null ? null : q.filter().tagStatus());
        ImageCatalog.StatusFilter imageStatus = ListImagesAction.imageStatus(q.filter() == null ? null
                : q.filter().imageStatus());
        call.admin().require(repo);
        ImageCatalog images = call.images();
        List<Shapes.ImageDetail> out = new ArrayList<>();
        if (q.imageIds() != null) {
            Validation.size("imageIds", q.imageIds(), 1, 100);
            if (q.nextToken() != null || q.maxResults() != null) {
                throw Validation.invalid("maxResults",
                        "maxResults and nextToken cannot be specified together with imageIds");
            }
            // every tag in one query, every image in one more (and their tags in a third), not a few per id
            List<ImageIds.Resolved> resolved = ImageIds.resolveAll(images, repo, q.imageIds());
            Map<Digest, ImageCatalog.Image> found = images.findAll(repo, resolved.stream()
                    .filter(r -> r.failure() == null).map(ImageIds.Resolved::digest).toList());
            Map<Digest, ImageScan> scans = call.scanning().summaries(call.registryId, repo, times(found.values()));
            for (int i = 0; i < resolved.size(); i++) {
                ImageIds.Resolved r = resolved.get(i);
                ImageCatalog.Image image = r.failure() == null ? found.get(r.digest()) : null;
                if (image == null) {
                    throw notFound(call, repo, q.imageIds().get(i));
                }
                out.add(ImageDetails.of(call, repo, image, scans.get(image.manifest().digest())));
            }
            return new DescribeImagesResponse(out, null);
        }
        int limit = Validation.maxResults(q.maxResults(), 1000);
        String after = NextToken.decode("image", q.nextToken());
        Page<ImageCatalog.Image> page = images.list(repo, after == null ? null : Digest.parse(after), limit, status,
                imageStatus);
        // the page's scan states in one query more, not one per image
        Map<Digest, ImageScan> scans = call.scanning().summaries(call.registryId, repo, times(page.items()));
        page.items().forEach(i -> out.add(ImageDetails.of(call, repo, i, scans.get(i.manifest().digest()))));
        String next = page.hasMore() ? NextToken.encode("image",
                page.items().get(page.items().size() - 1).manifest().digest().toString()) : null;
        return new DescribeImagesResponse(out, next);
    }

    /** The images' push and last pull times, which decide whether continuous scanning still covers them. */
    private static Map<Digest, ImageScanning.ImageTimes> times(java.util.Collection<ImageCatalog.Image> images) {
        Map<Digest, ImageScanning.ImageTimes> out = new java.util.LinkedHashMap<>();
        images.forEach(i -> out.put(i.manifest().digest(), new ImageScanning.ImageTimes(i.manifest().pushedAt(),
                i.manifest().lastPulledAt())));
        return out;
    }

    private static RegistryException notFound(EcrCall call, RepositoryName repo, Shapes.ImageIdentifier id) {
        return new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "The image with imageId {imageDigest:'"
                + (id == null ? null : id.imageDigest()) + "', imageTag:'" + (id == null ? null : id.imageTag())
                + "'} does not exist within the repository with name '" + repo + "' in the registry with id '"
                + call.registryId + "'");
    }
}
