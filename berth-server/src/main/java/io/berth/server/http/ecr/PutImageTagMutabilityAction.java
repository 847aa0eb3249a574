package io.berth.server.http.ecr;

import io.berth.core.model.TagMutability;
import io.berth.core.service.RepositoryView;
import java.util.List;

/** PutImageTagMutability: changes the mode and exclusion filters; enforced from the next push on, on both APIs. */
final class PutImageTagMutabilityAction implements EcrAction<PutImageTagMutabilityAction.PutImageTagMutabilityRequest,
        PutImageTagMutabilityAction.PutImageTagMutabilityResponse> {

    record PutImageTagMutabilityRequest(String registryId, String repositoryName, String imageTagMutability,
            List<Shapes.ImageTagMutabilityExclusionFilter> imageTagMutabilityExclusionFilters)
            implements EcrTarget.InRepository {}

    record PutImageTagMutabilityResponse(String registryId, String repositoryName, String imageTagMutability,
            List<Shapes.ImageTagMutabilityExclusionFilter> imageTagMutabilityExclusionFilters) {}

    @Override
    public Class<PutImageTagMutabilityRequest> requestType() { return PutImageTagMutabilityRequest.class; }

    @Override
    public PutImageTagMutabilityResponse handle(EcrCall call, PutImageTagMutabilityRequest q) {
        var name = call.repository();
        Validation.required("imageTagMutability", q.imageTagMutability());
        TagMutability m = SettingsInput.mutability(q.imageTagMutability(), q.imageTagMutabilityExclusionFilters());
        RepositoryView r = call.admin().setTagMutability(name, m,
                SettingsInput.filterValues(q.imageTagMutabilityExclusionFilters()));
        return new PutImageTagMutabilityResponse(r.registryId().value(), r.name().value(),
                r.settings().tagMutability().name(), Shapes.filters(r.settings().exclusionFilters()));
    }
}
