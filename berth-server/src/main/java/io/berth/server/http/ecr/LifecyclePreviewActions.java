package io.berth.server.http.ecr;

import io.berth.core.model.Digest;
import io.berth.core.service.LifecyclePreviews;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * StartLifecyclePolicyPreview and GetLifecyclePolicyPreview, in ECR's shapes. The preview itself runs as a job (see
 * {@link LifecyclePreviews}); Get reports IN_PROGRESS until it is stored, which is what the AWS CLI's
 * {@code wait lifecycle-policy-preview-complete} polls for.
 */
final class LifecyclePreviewActions {
    private LifecyclePreviewActions() {}

    /** How many stored results one scan step reads while filtering a page. */
    private static final int SCAN = 500;

    record StartLifecyclePolicyPreviewRequest(String registryId, String repositoryName, String lifecyclePolicyText)
            implements EcrTarget.InRepository {}

    record StartLifecyclePolicyPreviewResponse(String registryId, String repositoryName, String lifecyclePolicyText,
                                               String status) {}

    record LifecyclePolicyPreviewFilter(String tagStatus) {}

    record GetLifecyclePolicyPreviewRequest(String registryId, String repositoryName,
                                            List<Shapes.ImageIdentifier> imageIds, String nextToken,
                                            Integer maxResults, LifecyclePolicyPreviewFilter filter)
            implements EcrTarget.InRepository {}

    record LifecyclePolicyRuleAction(String type, String targetStorageClass) {}

    record LifecyclePolicyPreviewResult(List<String> imageTags, String imageDigest, BigDecimal imagePushedAt,
                                        LifecyclePolicyRuleAction action, Integer appliedRulePriority,
                                        String storageClass) {
        static LifecyclePolicyPreviewResult of(LifecyclePreviews.Result r) {
            return new LifecyclePolicyPreviewResult(r.tags(), r.digest().toString(), Shapes.epoch(r.pushedAt()),
                    new LifecyclePolicyRuleAction(r.action(), r.targetStorageClass()), r.rulePriority(),
                    r.storageClass());
        }
    }

    record TransitioningImageTotalCount(String targetStorageClass, Integer imageTotalCount) {}

    record LifecyclePolicyPreviewSummary(Integer expiringImageTotalCount,
                                         List<TransitioningImageTotalCount> transitioningImageTotalCounts) {}

    record GetLifecyclePolicyPreviewResponse(String registryId, String repositoryName, String lifecyclePolicyText,
                                             String status, String nextToken,
                                             List<LifecyclePolicyPreviewResult> previewResults,
                                             LifecyclePolicyPreviewSummary summary) {}

    static final class Start
            implements EcrAction<StartLifecyclePolicyPreviewRequest, StartLifecyclePolicyPreviewResponse> {
        @Override
        public Class<StartLifecyclePolicyPreviewRequest> requestType() {
            return StartLifecyclePolicyPreviewRequest.class;
        }

        @Override
        public StartLifecyclePolicyPreviewResponse handle(EcrCall call, StartLifecyclePolicyPreviewRequest q) {
            ModelConstraints.length("lifecyclePolicyText", q.lifecyclePolicyText(), 100, 30_720);
            String text = call.lifecyclePreviews().start(call.repository(), q.lifecyclePolicyText());
            return new StartLifecyclePolicyPreviewResponse(call.registryId.value(), call.repository().value(), text,
                    "IN_PROGRESS");
        }
    }

    static final class Get implements EcrAction<GetLifecyclePolicyPreviewRequest, GetLifecyclePolicyPreviewResponse> {
        @Override
        public Class<GetLifecyclePolicyPreviewRequest> requestType() { return GetLifecyclePolicyPreviewRequest.class; }

        @Override
        public GetLifecyclePolicyPreviewResponse handle(EcrCall call, GetLifecyclePolicyPreviewRequest q) {
            Validation.size("imageIds", q.imageIds(), 1, 100);
            if (q.imageIds() != null && (q.maxResults() != null || q.nextToken() != null)) {
                throw Validation.invalid("maxResults", "maxResults and nextToken cannot be used with imageIds");
            }
            String tagStatus = q.filter() == null ? null : q.filter().tagStatus();
            Validation.oneOf("filter.tagStatus", tagStatus, List.of("TAGGED", "UNTAGGED", "ANY"));
            int limit = q.imageIds() != null ? Integer.MAX_VALUE : Validation.maxResults(q.maxResults(), 100);
            String after = NextToken.decode("preview", q.nextToken());
            int afterPosition;
            try {
                afterPosition = after == null ? -1 : Integer.parseInt(after);
            } catch (NumberFormatException e) {
                throw Validation.invalid("nextToken", "Invalid pagination token");
            }
            LifecyclePreviews previews = call.lifecyclePreviews();
            LifecyclePreviews.Preview preview = previews.get(call.repository());
            String registry = call.registryId.value();
            String repository = call.repository().value();
            if (!preview.complete()) {
                return new GetLifecyclePolicyPreviewResponse(registry, repository, preview.policyText(),
                        preview.status(), null, List.of(), null);
            }
            Matcher matcher = new Matcher(q.imageIds(), tagStatus);
            List<LifecyclePreviews.Result> page = new ArrayList<>();
            boolean more = false;
            int cursor = afterPosition;
            scan:
            while (true) {
                List<LifecyclePreviews.Result> batch = previews.results(call.repository(), cursor, SCAN);
                for (LifecyclePreviews.Result r : batch) {
                    if (matcher.matches(r)) {
                        if (page.size() == limit) {
                            more = true;
                            break scan;
                        }
                        page.add(r);
                    }
                }
                if (batch.size() < SCAN) {
                    break;
                }
                cursor = batch.get(batch.size() - 1).position();
            }
            String next = more ? NextToken.encode("preview", String.valueOf(page.get(page.size() - 1).position()))
                    : null;
            List<TransitioningImageTotalCount> transitioning = preview.transitioningCount() == 0 ? List.of()
                    : List.of(new TransitioningImageTotalCount("ARCHIVE", preview.transitioningCount()));
            return new GetLifecyclePolicyPreviewResponse(registry, repository, preview.policyText(),
                    preview.status(), next, page.stream().map(LifecyclePolicyPreviewResult::of).toList(),
                    new LifecyclePolicyPreviewSummary(preview.expiringCount(), transitioning));
        }
    }

    /** The request's imageIds (by digest or by a tag the image had) and filter.tagStatus. */
    private static final class Matcher {
        private final Set<Digest> digests = new HashSet<>();
        private final Set<String> tags = new HashSet<>();
        private final boolean byId;
        private final String tagStatus;

        Matcher(List<Shapes.ImageIdentifier> ids, String tagStatus) {
            this.byId = ids != null;
            this.tagStatus = tagStatus == null ? "ANY" : tagStatus;
            if (ids != null) {
                for (Shapes.ImageIdentifier id : ids) {
                    if (id.imageDigest() != null) {
                        digests.add(Validation.digest("imageIds.imageDigest", id.imageDigest()));
                    } else if (id.imageTag() != null) {
                        tags.add(id.imageTag());
                    }
                }
            }
        }

        boolean matches(LifecyclePreviews.Result r) {
            boolean tagged = !r.tags().isEmpty();
            if (tagStatus.equals("TAGGED") && !tagged || tagStatus.equals("UNTAGGED") && tagged) {
                return false;
            }
            return !byId || digests.contains(r.digest()) || r.tags().stream().anyMatch(tags::contains);
        }
    }
}
