package io.berth.server.http.ecr;

/** DeleteRepository: refused while it holds images unless {@code force}; drops tags, manifests, links, caches. */
final class DeleteRepositoryAction
        implements EcrAction<DeleteRepositoryAction.DeleteRepositoryRequest, DeleteRepositoryAction.DeleteRepositoryResponse> {

    record DeleteRepositoryRequest(String registryId, String repositoryName, Boolean force)
            implements EcrTarget.InRepository {}

    record DeleteRepositoryResponse(Shapes.Repository repository) {}

    @Override
    public Class<DeleteRepositoryRequest> requestType() { return DeleteRepositoryRequest.class; }

    @Override
    public DeleteRepositoryResponse handle(EcrCall call, DeleteRepositoryRequest q) {
        var name = call.repository();
        // RepositoryAdmin drops the read cache (RegistryServices' shared cache) of the deleted repository itself.
        var deleted = call.admin().delete(name, Boolean.TRUE.equals(q.force()));
        // the policy goes with the repository, as in ECR: a new repository of the same name starts without one
        call.policies().deleteRepositoryPolicy(call.registryId, name.value());
        return new DeleteRepositoryResponse(Shapes.Repository.of(call, deleted));
    }
}
