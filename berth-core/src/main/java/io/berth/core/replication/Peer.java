package io.berth.core.replication;

import java.net.URI;

/**
 * A region served by another Berth deployment ({@code replication.peers}): its endpoint and an access key of the
 * destination account there, which its {@code /v2} accepts as Basic credentials.
 */
public record Peer(String region, URI endpoint, String accessKeyId, String secretAccessKey) {
    @Override
    public String toString() { return "Peer[" + region + " at " + endpoint + ", key " + accessKeyId + "]"; }
}
