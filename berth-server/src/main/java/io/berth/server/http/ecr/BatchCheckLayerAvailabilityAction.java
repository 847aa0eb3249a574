package io.berth.server.http.ecr;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.Digest;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.RegistryService.BlobStat;
import java.util.ArrayList;
import java.util.List;

/**
 * BatchCheckLayerAvailability: AVAILABLE (with size) for layers in the repository, ARCHIVED for those in the
 * archive tier (every image holding them is archived), UNAVAILABLE otherwise.
 */
final class BatchCheckLayerAvailabilityAction implements EcrAction<
        BatchCheckLayerAvailabilityAction.BatchCheckLayerAvailabilityRequest,
        BatchCheckLayerAvailabilityAction.BatchCheckLayerAvailabilityResponse> {

    record BatchCheckLayerAvailabilityRequest(String registryId, String repositoryName, List<String> layerDigests)
            implements EcrTarget.InRepository {}

    record BatchCheckLayerAvailabilityResponse(List<Shapes.Layer> layers, List<Shapes.LayerFailure> failures) {}

    @Override
    public Class<BatchCheckLayerAvailabilityRequest> requestType() { return BatchCheckLayerAvailabilityRequest.class; }

    @Override
    public BatchCheckLayerAvailabilityResponse handle(EcrCall call, BatchCheckLayerAvailabilityRequest q) {
        RepositoryName repo = call.repository();
        Validation.required("layerDigests", q.layerDigests());
        Validation.size("layerDigests", q.layerDigests(), 1, 100);
        call.admin().require(repo);
        List<Shapes.Layer> layers = new ArrayList<>();
        List<Shapes.LayerFailure> failures = new ArrayList<>();
        for (String d : q.layerDigests()) {
            if (d == null || d.isEmpty()) {
                failures.add(new Shapes.LayerFailure(d, "MissingLayerDigest", "The layer digest is missing"));
                continue;
            }
            Digest digest;
            try {
                digest = Validation.digest("layerDigests", d);
            } catch (RegistryException e) {
                failures.add(new Shapes.LayerFailure(d, "InvalidLayerDigest", "Invalid layer digest"));
                continue;
            }
            java.util.Optional<Long> archived = call.images().archivedLayerSize(repo, digest);
            if (archived.isPresent()) {
                layers.add(new Shapes.Layer(d, "ARCHIVED", archived.get(), null));
                continue;
            }
            try {
                BlobStat stat = call.data().statBlob(repo, digest);
                layers.add(new Shapes.Layer(d, "AVAILABLE", stat.size(), null));
            } catch (RegistryException e) {
                if (e.code() != ErrorCode.BLOB_UNKNOWN) {
                    throw e;
                }
                layers.add(new Shapes.Layer(d, "UNAVAILABLE", null, null));
            }
        }
        return new BatchCheckLayerAvailabilityResponse(layers, failures);
    }
}
