package io.berth.server.http.ecr;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.berth.core.service.RepositoryView;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The ECR shapes several operations share, named as in the AWS API model. */
final class Shapes {
    private Shapes() {}

    /** AWS JSON timestamps: epoch seconds as a number, fraction allowed (milliseconds here). */
    static BigDecimal epoch(Instant t) {
        return t == null ? null : BigDecimal.valueOf(t.toEpochMilli()).movePointLeft(3);
    }

    /** Resource tags capitalise their members, unlike every other ECR shape. */
    record Tag(@JsonProperty("Key") String key, @JsonProperty("Value") String value) {}

    record ImageScanningConfiguration(Boolean scanOnPush) {}

    record EncryptionConfiguration(String encryptionType, String kmsKey) {}

    record ImageTagMutabilityExclusionFilter(String filterType, String filter) {}

    record ImageIdentifier(String imageDigest, String imageTag) {}

    record ImageFailure(ImageIdentifier imageId, String failureCode, String failureReason) {}

    record Image(String registryId, String repositoryName, ImageIdentifier imageId, String imageManifest,
                 String imageManifestMediaType) {}

    record ImageDetail(String registryId, String repositoryName, String imageDigest, List<String> imageTags,
                       Long imageSizeInBytes, BigDecimal imagePushedAt, String imageManifestMediaType,
                       String artifactMediaType, BigDecimal lastRecordedPullTime, String subjectManifestDigest,
                       String imageStatus, BigDecimal lastArchivedAt, BigDecimal lastActivatedAt,
                       ImageScanStatus imageScanStatus, ImageScanFindingsSummary imageScanFindingsSummary) {}

    record ImageScanStatus(String status, String description) {}

    record ImageScanFindingsSummary(BigDecimal imageScanCompletedAt, BigDecimal vulnerabilitySourceUpdatedAt,
                                    Map<String, Integer> findingSeverityCounts) {}

    record Layer(String layerDigest, String layerAvailability, Long layerSize, String mediaType) {}

    record LayerFailure(String layerDigest, String failureCode, String failureReason) {}

    record Repository(String repositoryArn, String registryId, String repositoryName, String repositoryUri,
                      BigDecimal createdAt, String imageTagMutability,
                      List<ImageTagMutabilityExclusionFilter> imageTagMutabilityExclusionFilters,
                      ImageScanningConfiguration imageScanningConfiguration,
                      EncryptionConfiguration encryptionConfiguration) {

        static Repository of(EcrCall call, RepositoryView r) {
            RepositoryView.Settings s = r.settings();
            return new Repository(call.repositoryArn(r.name()), r.registryId().value(), r.name().value(),
                    call.repositoryUri(r.name()), epoch(r.createdAt()), s.tagMutability().name(),
                    filters(s.exclusionFilters()), new ImageScanningConfiguration(s.scanOnPush()),
                    new EncryptionConfiguration(s.encryptionType(), s.kmsKey()));
        }
    }

    /** Null (omitted) when there are none, as ECR omits the member for repositories without exclusions. */
    static List<ImageTagMutabilityExclusionFilter> filters(List<String> filters) {
        return filters.isEmpty() ? null
                : filters.stream().map(f -> new ImageTagMutabilityExclusionFilter("WILDCARD", f)).toList();
    }

    record AuthorizationData(String authorizationToken, BigDecimal expiresAt, String proxyEndpoint) {}

    record ImageReferrer(String digest, String mediaType, String artifactType, Long size,
                         Map<String, String> annotations, String artifactStatus) {}
}
