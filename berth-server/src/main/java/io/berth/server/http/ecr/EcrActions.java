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
                // policies and the setting that scopes the registry policy
                new RepositoryPolicyActions.Set(), new RepositoryPolicyActions.Get(),
                new RepositoryPolicyActions.Delete(), new RegistryPolicyActions.Put(), new RegistryPolicyActions.Get(),
                new RegistryPolicyActions.Delete(), new RegistryPolicyActions.GetSetting(),
                new RegistryPolicyActions.PutSetting(),
                // auth
                new GetAuthorizationTokenAction());
    }
}
