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
 * Replication on push: an IMAGE_PUSHED starts one job per destination of the source registry's configuration as it
 * is when the event is read, so only images pushed after a rule exists replicate. What replication itself writes
 * starts nothing: ECR replicates once per push, with no chaining. Beyond ECR, for the destinations that opted in
 * ({@code berth admin replication}): a TAG_CHANGED (a tag added to or moved onto an existing image) copies the image
 * again with its tags, so the destination's tag moves too; an IMAGE_DELETED starts a delete job; and a tag filter
 * lets through only events whose tag matches it.
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
        boolean tagMoved = e.type() == Type.TAG_CHANGED;
        if ((e.type() != Type.IMAGE_PUSHED && !tagMoved && !deleted) || e.digest() == null
                || e.repository() == null || ACTOR.equals(e.principal()) || EventRecorder.SCANNER.equals(e.principal())) {
            return List.of();
        }
        RegistryId source = replication.regions().registry(e.account(), e.region());
        RepositoryName repo = RepositoryName.of(e.repository());
        Digest digest = e.digest();
        ReplicationConfiguration c = replication.configuration(source);
        String kind = deleted ? Replication.DELETE_JOB_KIND : Replication.JOB_KIND;
        return c.destinationsFor(repo).stream()
                .filter(d -> deleted ? c.propagateDeletes().contains(d) : c.admits(d, e.tags()))
                .filter(d -> !tagMoved || c.propagateTagMoves().contains(d))
                .map(d -> {
                    String target = new Replication.ReplicationTarget(source, repo, digest, d).format();
                    String key = (tagMoved ? Replication.TAG_MOVE_KEY : kind + ":") + target;
                    return new TriggeredJob(kind, target, key, Replication.MAX_ATTEMPTS);
                }).toList();
    }
}
