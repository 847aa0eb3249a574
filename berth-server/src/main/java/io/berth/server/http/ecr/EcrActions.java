package io.berth.server.http.ecr;

import java.util.List;

/** The operation table: one class per ECR operation. */
final class EcrActions {
    private EcrActions() {}

    static List<EcrAction<?, ?>> all() {
        return List.of(
                // repositories
                new CreateRepositoryAction(), new DescribeRepositoriesAction(), new DeleteRepositoryAction(),
                new DescribeRegistryAction(), new TagResourceAction(), new UntagResourceAction(),
                new ListTagsForResourceAction(), new PutImageTagMutabilityAction(),
                // images
                new PutImageAction(), new BatchGetImageAction(), new BatchDeleteImageAction(),
                new DescribeImagesAction(), new ListImagesAction(), new ListImageReferrersAction(),
                // layers
                new BatchCheckLayerAvailabilityAction(), new InitiateLayerUploadAction(),
                new UploadLayerPartAction(), new CompleteLayerUploadAction(), new GetDownloadUrlForLayerAction(),
                // auth
                new GetAuthorizationTokenAction());
    }
}
