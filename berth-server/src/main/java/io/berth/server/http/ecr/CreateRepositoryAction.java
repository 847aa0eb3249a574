package io.berth.server.http.ecr;

import io.berth.core.model.RepositoryName;
import io.berth.core.model.TagMutability;
import io.berth.core.service.RepositoryView;
import java.util.List;

/**
 * CreateRepository: name, resource tags, tag mutability with exclusions, scan-on-push and encryption (a KMS
 * repository's key resolved to its ARN; its pulls and pushes then need the key usable: {@link io.berth.core.kms.KeyGate}).
 */
final class CreateRepositoryAction
        implements EcrAction<CreateRepositoryAction.CreateRepositoryRequest, CreateRepositoryAction.CreateRepositoryResponse> {

    record CreateRepositoryRequest(String registryId, String repositoryName, List<Shapes.Tag> tags,
                                   String imageTagMutability,
                                   List<Shapes.ImageTagMutabilityExclusionFilter> imageTagMutabilityExclusionFilters,
                                   Shapes.ImageScanningConfiguration imageScanningConfiguration,
                                   Shapes.EncryptionConfiguration encryptionConfiguration)
            implements EcrTarget.InRepository {}

    record CreateRepositoryResponse(Shapes.Repository repository) {}

    @Override
    public Class<CreateRepositoryRequest> requestType() { return CreateRepositoryRequest.class; }

    @Override
    public CreateRepositoryResponse handle(EcrCall call, CreateRepositoryRequest q) {
        RepositoryName name = call.repository();
        TagMutability mutability = SettingsInput.mutability(q.imageTagMutability(),
                q.imageTagMutabilityExclusionFilters());
        String encryption = "AES256";
        String kmsKey = null;
        if (q.encryptionConfiguration() != null) {
            encryption = Validation.required("encryptionConfiguration.encryptionType",
                    q.encryptionConfiguration().encryptionType());
            Validation.oneOf("encryptionConfiguration.encryptionType", encryption,
                    List.of("AES256", "KMS", "KMS_DSSE"));
            kmsKey = q.encryptionConfiguration().kmsKey();
            Validation.length("encryptionConfiguration.kmsKey", kmsKey, 1, 2048);
            if (kmsKey != null && encryption.equals("AES256")) {
                throw Validation.invalid("encryptionConfiguration.kmsKey",
                        "kmsKey can only be specified when encryptionType is KMS or KMS_DSSE");
            }
        }
        // a KMS repository is created with its key's ARN (alias/aws/ecr's when none is named), and only when the
        // key can be used, as ECR checks at creation
        io.berth.core.kms.KeyGate keys = call.context.services().keyGate();
        if (keys != null) {
            kmsKey = keys.resolveForCreation(call.registryId, encryption, kmsKey);
        }
        boolean scanOnPush = q.imageScanningConfiguration() != null
                && Boolean.TRUE.equals(q.imageScanningConfiguration().scanOnPush());
        RepositoryView.Settings settings = new RepositoryView.Settings(mutability,
                SettingsInput.filterValues(q.imageTagMutabilityExclusionFilters()), scanOnPush, encryption, kmsKey);
        return new CreateRepositoryResponse(Shapes.Repository.of(call,
                call.admin().create(name, settings, SettingsInput.tags(q.tags()))));
    }
}
