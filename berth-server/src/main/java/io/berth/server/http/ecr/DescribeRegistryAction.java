package io.berth.server.http.ecr;

import java.util.List;

/** DescribeRegistry: the caller's registry; replication is not supported, so its configuration has no rules. */
final class DescribeRegistryAction
        implements EcrAction<DescribeRegistryAction.DescribeRegistryRequest, DescribeRegistryAction.DescribeRegistryResponse> {

    record DescribeRegistryRequest() {}

    record ReplicationConfiguration(List<Object> rules) {}

    record DescribeRegistryResponse(String registryId, ReplicationConfiguration replicationConfiguration) {}

    @Override
    public Class<DescribeRegistryRequest> requestType() { return DescribeRegistryRequest.class; }

    @Override
    public DescribeRegistryResponse handle(EcrCall call, DescribeRegistryRequest q) {
        return new DescribeRegistryResponse(call.registryId.value(), new ReplicationConfiguration(List.of()));
    }
}
