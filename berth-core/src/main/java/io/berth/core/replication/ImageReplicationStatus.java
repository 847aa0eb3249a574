package io.berth.core.replication;

/** One destination's replication of an image, as DescribeImageReplicationStatus shows it. */
public record ImageReplicationStatus(String region, String registryId, String status, String failureCode) {}
