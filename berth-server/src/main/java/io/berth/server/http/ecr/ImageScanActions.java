package io.berth.server.http.ecr;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.Digest;
import io.berth.core.scanning.Finding;
import io.berth.core.scanning.ImageScan;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** StartImageScan and DescribeImageScanFindings. */
final class ImageScanActions {
    static final String TOKEN_KIND = "findings";

    private ImageScanActions() {}

    record StartRequest(String registryId, String repositoryName, Shapes.ImageIdentifier imageId)
            implements EcrTarget.InRepository {}

    record ScanStatus(String status, String description) {}

    record StartResponse(String registryId, String repositoryName, Shapes.ImageIdentifier imageId,
                         ScanStatus imageScanStatus) {}

    record DescribeRequest(String registryId, String repositoryName, Shapes.ImageIdentifier imageId,
                           String nextToken, Integer maxResults) implements EcrTarget.InRepository {}

    record Findings(BigDecimal imageScanCompletedAt, BigDecimal vulnerabilitySourceUpdatedAt,
                    Map<String, Integer> findingSeverityCounts, List<ScanFindingShapes.Basic> findings,
                    List<ScanFindingShapes.Enhanced> enhancedFindings) {}

    record DescribeResponse(String registryId, String repositoryName, Shapes.ImageIdentifier imageId,
                            ScanStatus imageScanStatus, Findings imageScanFindings, String nextToken) {}

    static final class Start implements EcrAction<StartRequest, StartResponse> {
        @Override public Class<StartRequest> requestType() { return StartRequest.class; }

        @Override
        public StartResponse handle(EcrCall call, StartRequest q) {
            ImageIds.Resolved id = resolve(call, q.imageId());
            ImageScan r = call.scanning().start(call.registryId, call.repository(), id.digest());
            return new StartResponse(call.registryId.value(), call.repository().value(), imageId(id),
                    new ScanStatus(r.status(), r.description()));
        }
    }

    static final class Describe implements EcrAction<DescribeRequest, DescribeResponse> {
        @Override public Class<DescribeRequest> requestType() { return DescribeRequest.class; }

        @Override
        public DescribeResponse handle(EcrCall call, DescribeRequest q) {
            int limit = Validation.maxResults(q.maxResults(), 1000);
            int offset = offset(q.nextToken());
            ImageIds.Resolved id = resolve(call, q.imageId());
            ImageScan r = call.scanning().scan(call.registryId, call.repository(), id.digest())
                    .orElseThrow(() -> new RegistryException(ErrorCode.SCAN_NOT_FOUND, "Image scan does not exist "
                            + "for the image with '{imageDigest:'" + id.digest() + "'}' in the repository with "
                            + "name '" + call.repository() + "' in the registry with id '" + call.registryId + "'"));
            ScanStatus status = new ScanStatus(r.status(), r.description());
            if (!r.complete()) {
                return new DescribeResponse(call.registryId.value(), call.repository().value(), imageId(id), status,
                        null, null);
            }
            List<Finding> all = r.findings().stream().sorted(WORST_FIRST).toList();
            List<Finding> page = all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size()));
            String next = offset + limit < all.size() ? NextToken.encode(TOKEN_KIND, Integer.toString(offset + limit))
                    : null;
            boolean enhanced = r.scanType() == io.berth.core.scanning.ScanType.ENHANCED;
            ScanFindingShapes shapes = new ScanFindingShapes(call, id.digest(), imageTags(call, id.digest()));
            Findings f = new Findings(Shapes.epoch(r.completedAt()), Shapes.epoch(r.sourceUpdatedAt()),
                    r.severityCounts(), enhanced ? null : page.stream().map(shapes::basic).toList(),
                    enhanced ? page.stream().map(shapes::enhanced).toList() : null);
            return new DescribeResponse(call.registryId.value(), call.repository().value(), imageId(id), status, f,
                    next);
        }
    }

    /** Worst severity first, then by ID, so pages are stable. */
    static final Comparator<Finding> WORST_FIRST = Comparator
            .comparingInt((Finding f) -> Finding.SEVERITIES.indexOf(f.severity()))
            .thenComparing(Finding::vulnerabilityId).thenComparing(Finding::packageName);

    /** The image {@code id} names, which must exist: ImageNotFoundException otherwise. */
    static ImageIds.Resolved resolve(EcrCall call, Shapes.ImageIdentifier id) {
        Validation.required("imageId", id);
        ImageIds.Resolved r = ImageIds.resolve(call.images(), call.repository(), id);
        if (r.failure() != null) {
            ErrorCode code = r.failure().failureCode().equals("ImageNotFound") ? ErrorCode.MANIFEST_UNKNOWN
                    : ErrorCode.INVALID_PARAMETER;
            throw new RegistryException(code, r.failure().failureReason());
        }
        if (call.images().find(call.repository(), r.digest()).isEmpty()) {
            throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "The image with imageId {imageDigest:'"
                    + r.digest() + "'} does not exist within the repository with name '" + call.repository()
                    + "' in the registry with id '" + call.registryId + "'");
        }
        return r;
    }

    static Shapes.ImageIdentifier imageId(ImageIds.Resolved r) {
        return new Shapes.ImageIdentifier(r.digest().toString(), r.tag() == null ? null : r.tag().value());
    }

    private static List<String> imageTags(EcrCall call, Digest digest) {
        return call.images().find(call.repository(), digest).map(i -> i.tags().stream()
                .map(io.berth.core.model.Tag::value).toList()).orElse(List.of());
    }

    private static int offset(String token) {
        if (token == null) {
            return 0;
        }
        String value = NextToken.decode(TOKEN_KIND, token);
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below, as every other unusable token is
        }
        throw new RegistryException(ErrorCode.INVALID_PARAMETER, "Invalid parameter at 'nextToken' failed to "
                + "satisfy constraint: 'The token is not valid'");
    }
}
