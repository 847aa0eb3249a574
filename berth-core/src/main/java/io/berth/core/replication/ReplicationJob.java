package io.berth.core.replication;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.job.JobContext;
import io.berth.core.job.JobHandler;
import io.berth.core.model.RegistryId;
import io.berth.core.replication.Replication.ReplicationTarget;
import io.berth.core.service.RegistryServices;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.RepositoryRecord;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicates one image to one destination (see {@link Replication} for the target). The status is IN_PROGRESS
 * from the first attempt, FAILED with the reason after a failed attempt (the runner retries it with exponential
 * backoff, so a peer that comes back or a registry policy that is granted later still completes), and COMPLETE
 * once the destination holds the image, its children, tags and referrers. An image deleted at the source before
 * it was copied fails for good.
 */
public final class ReplicationJob implements JobHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationJob.class);

    private final Replication replication;
    private final RegistryServices services;
    private final MetadataStore metadata;
    private final Clock clock;
    private final Map<String, Peer> peers;
    private final ReplicationPermission permission;
    private final PeerRepositories peerRepositories;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final boolean deletes;
    private volatile ReplicationLag lag = ReplicationLag.NONE;

    public ReplicationJob(Replication replication, RegistryServices services, MetadataStore metadata, Clock clock,
                          List<Peer> peers, ReplicationPermission permission, PeerRepositories peerRepositories) {
        this(replication, services, metadata, clock, peers, permission, peerRepositories, false);
    }

    private ReplicationJob(Replication replication, RegistryServices services, MetadataStore metadata, Clock clock,
                           List<Peer> peers, ReplicationPermission permission, PeerRepositories peerRepositories,
                           boolean deletes) {
        this.deletes = deletes;
        this.peerRepositories = peerRepositories;
        this.replication = replication;
        this.services = services;
        this.metadata = metadata;
        this.clock = clock;
        this.peers = peers.stream().collect(java.util.stream.Collectors.toMap(Peer::region, p -> p));
        this.permission = permission;
    }

    /**
     * The handler of {@link Replication#DELETE_JOB_KIND} (beyond ECR, opt-in): deletes the image at the destination.
     * A destination repository that does not exist has nothing to delete; no status is kept (the image is gone).
     */
    public ReplicationJob deletes() {
        return new ReplicationJob(replication, services, metadata, clock, List.copyOf(peers.values()), permission,
                peerRepositories, true);
    }

    /** Reports each completed replica's push-to-replicated time to {@code lag}; returns this job. */
    public ReplicationJob reportingLagTo(ReplicationLag lag) {
        this.lag = lag;
        return this;
    }

    @Override
    public String kind() { return deletes ? Replication.DELETE_JOB_KIND : Replication.JOB_KIND; }

    @Override
    public void run(JobContext context) throws Exception {
        ReplicationTarget t = ReplicationTarget.parse(context.job().target());
        if (deletes) {
            String region = t.destination().region();
            if (replication.regions().serves(region) && metadata.read(tx -> tx.repositories().get(
                    replication.regions().registry(t.destination().registryId(), region), t.repository())).isEmpty()) {
                return;
            }
            sink(t, null).delete(t.digest());
            LOG.info("deleted {}@{} at {} {} (delete propagation)", t.repository(), t.digest(), region,
                    t.destination().registryId());
            return;
        }
        if (context.job().attempts() <= 1) {
            replication.record(t, Replication.IN_PROGRESS, null);
        }
        Optional<RepositoryRecord> sourceRepo = metadata.read(tx -> tx.repositories().get(t.source(), t.repository()));
        ReplicationConfiguration c = replication.configuration(t.source());
        // beyond ECR: a destination with a tag filter gets only the image's matching tags
        List<String> tags = sourceRepo.map(r -> metadata.read(tx -> tx.tags().tagsOf(r.id(), t.digest())))
                .orElse(List.of()).stream().map(tag -> tag.value())
                .filter(tag -> c.admits(t.destination(), List.of(tag))).toList();
        try {
            ReplicaSink sink = sink(t, sourceRepo.map(RepositoryRecord::settings).orElse(null));
            new ImageCopier(services.forRegistry(t.source()).actingAsServer(ReplicationTrigger.ACTOR),
                    t.repository(), sink).copy(t.digest(), tags);
        } catch (RegistryException e) {
            if (e.code() == ErrorCode.MANIFEST_UNKNOWN || e.code() == ErrorCode.NAME_UNKNOWN) {
                replication.record(t, Replication.FAILED, "the image was deleted at the source before it was "
                        + "replicated");
                return; // nothing left to copy: no retry
            }
            fail(t, e);
            throw e;
        } catch (Exception e) {
            fail(t, e);
            throw e;
        }
        replication.record(t, Replication.COMPLETE, null);
        sourceRepo.flatMap(r -> metadata.read(tx -> tx.manifests().get(r.id(), t.digest())))
                .ifPresent(m -> lag.replicated(destinationKind(t), Duration.between(m.pushedAt(), clock.instant())));
    }

    /** The lag metric's label: {@link ReplicationLag#PEER}, {@link ReplicationLag#ACCOUNT} or {@code REGION}. */
    private String destinationKind(ReplicationTarget t) {
        String region = t.destination().region();
        if (!replication.regions().serves(region)) {
            return ReplicationLag.PEER;
        }
        return replication.regions().registry(t.destination().registryId(), region).sameAccount(t.source())
                ? ReplicationLag.REGION : ReplicationLag.ACCOUNT;
    }

    private void fail(ReplicationTarget t, Exception e) {
        String reason = e.getMessage() == null ? e.toString() : e.getMessage();
        LOG.info("replication of {}/{}@{} to {} {} failed (retried with backoff): {}", t.source(), t.repository(),
                t.digest(), t.destination().region(), t.destination().registryId(), reason);
        replication.record(t, Replication.FAILED, reason.length() > 1000 ? reason.substring(0, 1000) : reason);
    }

    private ReplicaSink sink(ReplicationTarget t, io.berth.core.spi.meta.RepositorySettings sourceSettings)
            throws java.io.IOException {
        String region = t.destination().region();
        if (replication.regions().serves(region)) {
            RegistryId destination = replication.regions().registry(t.destination().registryId(), region);
            if (!destination.sameAccount(t.source())) {
                Optional<String> refused = permission.refusal(t.source(), destination, t.repository());
                if (refused.isPresent()) {
                    throw new IllegalStateException(refused.get());
                }
            }
            // blobs are shared; a destination with another KMS key gets their data keys wrapped again (LocalSink)
            return new LocalSink(services, metadata, clock, destination, region, t.repository(), sourceSettings);
        }
        Peer peer = peers.get(region);
        if (peer == null) {
            throw new IllegalStateException("region " + region + " is neither served by this deployment nor a "
                    + "configured replication peer (replication.peers)");
        }
        if (!deletes) {
            peerRepositories.ensure(peer, t.repository(), sourceSettings);
        }
        return new PeerSink(http, peer, t.repository());
    }
}
