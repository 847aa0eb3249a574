package io.berth.server.http.ecr;

import java.util.LinkedHashMap;
import java.util.Map;

/** ECR's operation table: each operation's name (after the target prefix, and in {@code ecr:<name>}) and action. */
final class EcrActions {
    private EcrActions() {}

    static Map<String, EcrAction<?, ?>> all() {
        Map<String, EcrAction<?, ?>> table = new LinkedHashMap<>();
        // repositories
        table.put("CreateRepository", new CreateRepositoryAction());
        table.put("DescribeRepositories", new DescribeRepositoriesAction());
        table.put("DeleteRepository", new DeleteRepositoryAction());
        table.put("DescribeRegistry", new DescribeRegistryAction());
        table.put("TagResource", new TagResourceAction());
        table.put("UntagResource", new UntagResourceAction());
        table.put("ListTagsForResource", new ListTagsForResourceAction());
        table.put("PutImageTagMutability", new PutImageTagMutabilityAction());
        // images
        table.put("PutImage", new PutImageAction());
        table.put("BatchGetImage", new BatchGetImageAction());
        table.put("BatchDeleteImage", new BatchDeleteImageAction());
        table.put("DescribeImages", new DescribeImagesAction());
        table.put("ListImages", new ListImagesAction());
        table.put("ListImageReferrers", new ListImageReferrersAction());
        table.put("UpdateImageStorageClass", new UpdateImageStorageClassAction());
        // layers
        table.put("BatchCheckLayerAvailability", new BatchCheckLayerAvailabilityAction());
        table.put("InitiateLayerUpload", new InitiateLayerUploadAction());
        table.put("UploadLayerPart", new UploadLayerPartAction());
        table.put("CompleteLayerUpload", new CompleteLayerUploadAction());
        table.put("GetDownloadUrlForLayer", new GetDownloadUrlForLayerAction());
        // policies and the setting that scopes the registry policy
        table.put("SetRepositoryPolicy", new RepositoryPolicyActions.Set());
        table.put("GetRepositoryPolicy", new RepositoryPolicyActions.Get());
        table.put("DeleteRepositoryPolicy", new RepositoryPolicyActions.Delete());
        table.put("PutRegistryPolicy", new RegistryPolicyActions.Put());
        table.put("GetRegistryPolicy", new RegistryPolicyActions.Get());
        table.put("DeleteRegistryPolicy", new RegistryPolicyActions.Delete());
        table.put("GetAccountSetting", new RegistryPolicyActions.GetSetting());
        table.put("PutAccountSetting", new RegistryPolicyActions.PutSetting());
        // lifecycle policies
        table.put("PutLifecyclePolicy", new LifecyclePolicyActions.Put());
        table.put("GetLifecyclePolicy", new LifecyclePolicyActions.Get());
        table.put("DeleteLifecyclePolicy", new LifecyclePolicyActions.Delete());
        table.put("StartLifecyclePolicyPreview", new LifecyclePreviewActions.Start());
        table.put("GetLifecyclePolicyPreview", new LifecyclePreviewActions.Get());
        // repository creation templates
        table.put("CreateRepositoryCreationTemplate", new TemplateActions.Create());
        table.put("DescribeRepositoryCreationTemplates", new TemplateActions.Describe());
        table.put("UpdateRepositoryCreationTemplate", new TemplateActions.Update());
        table.put("DeleteRepositoryCreationTemplate", new TemplateActions.Delete());
        // pull-through cache rules
        table.put("CreatePullThroughCacheRule", new PullThroughCacheActions.Create());
        table.put("DescribePullThroughCacheRules", new PullThroughCacheActions.Describe());
        table.put("UpdatePullThroughCacheRule", new PullThroughCacheActions.Update());
        table.put("DeletePullThroughCacheRule", new PullThroughCacheActions.Delete());
        table.put("ValidatePullThroughCacheRule", new PullThroughCacheActions.Validate());
        // pull-time update exclusions
        table.put("RegisterPullTimeUpdateExclusion", new PullTimeExclusionActions.Register());
        table.put("DeregisterPullTimeUpdateExclusion", new PullTimeExclusionActions.Deregister());
        table.put("ListPullTimeUpdateExclusions", new PullTimeExclusionActions.ListAll());
        // vulnerability scanning
        table.put("PutImageScanningConfiguration", new ScanningConfigurationActions.PutImage());
        table.put("PutRegistryScanningConfiguration", new ScanningConfigurationActions.PutRegistry());
        table.put("GetRegistryScanningConfiguration", new ScanningConfigurationActions.GetRegistry());
        table.put("BatchGetRepositoryScanningConfiguration", new ScanningConfigurationActions.BatchGet());
        table.put("StartImageScan", new ImageScanActions.Start());
        table.put("DescribeImageScanFindings", new ImageScanActions.Describe());
        // managed signing
        table.put("PutSigningConfiguration", new SigningConfigurationActions.Put());
        table.put("GetSigningConfiguration", new SigningConfigurationActions.Get());
        table.put("DeleteSigningConfiguration", new SigningConfigurationActions.Delete());
        table.put("DescribeImageSigningStatus", new SigningConfigurationActions.DescribeStatus());
        // replication
        table.put("PutReplicationConfiguration", new ReplicationActions.Put());
        table.put("DescribeImageReplicationStatus", new ReplicationActions.Describe());
        // auth
        table.put("GetAuthorizationToken", new GetAuthorizationTokenAction());
        return Map.copyOf(table);
    }
}
