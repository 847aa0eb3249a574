package io.berth.server.http.ecr;

/** DeleteRepository: refused while it holds images unless {@code force}; drops tags, manifests, links, its policy. */
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
        // RepositoryAdmin deletes the repository's policy in the same transaction, and drops the read cache
        // (RegistryServices' shared cache) of the deleted repository itself.
        var deleted = call.admin().delete(name, Boolean.TRUE.equals(q.force()));
        call.policies().cache().invalidate(); // at once on this node; other nodes see the generation bump
        return new DeleteRepositoryResponse(Shapes.Repository.of(call, deleted));
    }
}
