package io.berth.server.http.ecr;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.model.MediaTypes;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import io.berth.core.scanning.ImageScan;
import io.berth.core.service.ImageCatalog;
import io.berth.core.service.ManifestView;
import io.berth.server.http.aws.AwsJson;
import java.io.IOException;

/** Builds DescribeImages' ImageDetail from a stored image. */
final class ImageDetails {
    private ImageDetails() {}

    /** @param scan the image's last scan, or null when it was never scanned */
    static Shapes.ImageDetail of(EcrCall call, RepositoryName repo, ImageCatalog.Image image, ImageScan scan) {
        ManifestView m = image.manifest();
        return new Shapes.ImageDetail(call.registryId.value(), repo.value(), m.digest().toString(),
                image.tags().isEmpty() ? null : image.tags().stream().map(Tag::value).toList(), m.imageSize(),
                Shapes.epoch(m.pushedAt()), m.mediaType(), configMediaType(m),
                Shapes.epoch(m.lastPulledAt()), m.subject() == null ? null : m.subject().toString(),
                image.storage().status().name(), Shapes.epoch(image.storage().lastArchivedAt()),
                Shapes.epoch(image.storage().lastActivatedAt()),
                scan == null ? null : new Shapes.ImageScanStatus(scan.status(), scan.description()),
                scan == null || !scan.complete() ? null : new Shapes.ImageScanFindingsSummary(
                        Shapes.epoch(scan.completedAt()), Shapes.epoch(scan.sourceUpdatedAt()),
                        scan.severityCounts()));
    }

    /** ECR's artifactMediaType: the config's media type of an image manifest; none for an index. */
    static String configMediaType(ManifestView m) {
        if (MediaTypes.isIndex(m.mediaType())) {
            return null;
        }
        try {
            JsonNode config = AwsJson.MAPPER.readTree(m.content()).path("config").path("mediaType");
            return config.isTextual() ? config.asText() : null;
        } catch (IOException e) {
            // stored manifests were validated at push; an unreadable one just lacks this optional field
            return null;
        }
    }
}
