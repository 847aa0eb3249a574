package io.berth.server.http.ecr;

/** DescribeRegistry: the caller's registry (in the call's region) and its replication configuration. */
final class DescribeRegistryAction
        implements EcrAction<DescribeRegistryAction.DescribeRegistryRequest, DescribeRegistryAction.DescribeRegistryResponse> {

    record DescribeRegistryRequest() {}

    record DescribeRegistryResponse(String registryId,
                                    ReplicationActions.ConfigurationShape replicationConfiguration) {}

    @Override
    public Class<DescribeRegistryRequest> requestType() { return DescribeRegistryRequest.class; }

    @Override
    public DescribeRegistryResponse handle(EcrCall call, DescribeRegistryRequest q) {
        return new DescribeRegistryResponse(call.registryId.value(),
                ReplicationActions.shape(call.context.replication().configuration(call.registryId)));
    }
}
