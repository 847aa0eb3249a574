package io.berth.core.replication;

import io.berth.core.event.EventRecorder;
import io.berth.core.job.EventTrigger;
import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.spi.meta.RegistryEvent;
import io.berth.core.spi.meta.RegistryEvent.Type;
import java.util.List;
import java.util.Optional;

/**
 * Replication on push: an IMAGE_PUSHED (or a tag moved onto an image) starts one job per destination of the source
 * registry's configuration as it is when the event is read, so only images pushed after a rule exists replicate.
 * What replication itself writes starts nothing: ECR replicates once per push, with no chaining. Beyond ECR, an
 * IMAGE_DELETED starts a delete job for the destinations that opted in ({@code berth admin replication}).
 */
public final class ReplicationTrigger implements EventTrigger {
    /** The actor of everything replication writes; its events start no further replication. */
    public static final String ACTOR = "berth:replication";

    private final Replication replication;

    public ReplicationTrigger(Replication replication) {
        this.replication = replication;
    }

    @Override
    public String subscriber() { return "replication"; }

    @Override
    public Optional<TriggeredJob> jobFor(RegistryEvent e) {
        return jobsFor(e).stream().findFirst();
    }

    @Override
    public List<TriggeredJob> jobsFor(RegistryEvent e) {
        boolean deleted = e.type() == Type.IMAGE_DELETED;
        if ((e.type() != Type.IMAGE_PUSHED && e.type() != Type.TAG_CHANGED && !deleted) || e.digest() == null
                || e.repository() == null || ACTOR.equals(e.principal()) || EventRecorder.SCANNER.equals(e.principal())) {
            return List.of();
        }
        RegistryId source = replication.regions().registry(e.account(), e.region());
        RepositoryName repo = RepositoryName.of(e.repository());
        Digest digest = e.digest();
        ReplicationConfiguration c = replication.configuration(source);
        String kind = deleted ? Replication.DELETE_JOB_KIND : Replication.JOB_KIND;
        return c.destinationsFor(repo).stream().filter(d -> !deleted || c.propagateDeletes().contains(d)).map(d -> {
            String target = new Replication.ReplicationTarget(source, repo, digest, d).format();
            return new TriggeredJob(kind, target, kind + ":" + target, Replication.MAX_ATTEMPTS);
        }).toList();
    }
}
