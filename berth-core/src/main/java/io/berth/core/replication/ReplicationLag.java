package io.berth.core.replication;

import java.time.Duration;

/**
 * Told how long each image took from its push to its replica being complete at a destination: the
 * {@code berth_replication_lag_seconds} histogram. Destinations are named by kind, never by repository or account,
 * so the metric's labels stay a fixed set.
 */
@FunctionalInterface
public interface ReplicationLag {
    /** Another region of this deployment, in the same account. */
    String REGION = "region";
    /** Another account of this deployment (any region). */
    String ACCOUNT = "account";
    /** Another Berth deployment ({@code replication.peers}). */
    String PEER = "peer";

    ReplicationLag NONE = (kind, lag) -> { };

    void replicated(String destinationKind, Duration lag);
}
