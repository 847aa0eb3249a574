package io.berth.core.replication;

import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.region.Regions;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.ReplicationStore.Status;
import java.time.Clock;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Replication (issue 12 §2): each registry's configuration, the jobs a push starts (one per image and destination,
 * so each destination retries on its own with the job runner's exponential backoff) and their statuses.
 *
 * <p>A job's target is {@code <source registry key>/<repository>@<digest>><region>><registry>}: '>' occurs in no
 * repository name, digest, region or account.
 */
public final class Replication {
    public static final String JOB_KIND = "replicate";
    /** Beyond ECR, opt-in per destination: an image deleted at the source is deleted at the destination. */
    public static final String DELETE_JOB_KIND = "replicate-delete";
    /**
     * The unique-key prefix of a tag-move job (kind {@link #JOB_KIND}): its own key, so a tag moved while the push's
     * job is running (and has read the image's tags) still gets a run of its own.
     */
    static final String TAG_MOVE_KEY = "replicate-tag:";
    /** Retries of one image to one destination; with the runner's doubling backoff this spans hours. */
    public static final int MAX_ATTEMPTS = 12;
    public static final String IN_PROGRESS = "IN_PROGRESS";
    public static final String COMPLETE = "COMPLETE";
    public static final String FAILED = "FAILED";

    private final MetadataStore metadata;
    private final Clock clock;
    private final Regions regions;

    public Replication(MetadataStore metadata, Clock clock, Regions regions) {
        this.metadata = metadata;
        this.clock = clock;
        this.regions = regions;
    }

    public Regions regions() { return regions; }

    public ReplicationConfiguration configuration(RegistryId registry) {
        return metadata.read(tx -> tx.replication().configuration(registry))
                .map(ReplicationConfiguration::fromJson).orElse(ReplicationConfiguration.NONE);
    }

    /**
     * Stores {@code c}'s rules (validated by the API) as the registry's whole configuration; the delete opt-ins of
     * destinations it still names are kept. Returns what was stored.
     */
    public ReplicationConfiguration putConfiguration(RegistryId registry, ReplicationConfiguration c) {
        return metadata.write(tx -> {
            ReplicationConfiguration next = tx.replication().configuration(registry)
                    .map(ReplicationConfiguration::fromJson).orElse(ReplicationConfiguration.NONE)
                    .replacingRules(c.rules());
            tx.replication().putConfiguration(registry, next.toJson(), clock.instant());
            return next;
        });
    }

    /**
     * Beyond ECR ({@code berth admin replication}): changes the opt-ins of {@code destination} (deletes, tag moves,
     * tag filter), which a rule of the configuration must name. False when it names none.
     */
    public boolean updateDestination(RegistryId registry, ReplicationConfiguration.Destination destination,
                                     UnaryOperator<ReplicationConfiguration> change) {
        return metadata.write(tx -> {
            ReplicationConfiguration c = tx.replication().configuration(registry)
                    .map(ReplicationConfiguration::fromJson).orElse(ReplicationConfiguration.NONE);
            if (!c.allDestinations().contains(destination)) {
                return false;
            }
            tx.replication().putConfiguration(registry, change.apply(c).toJson(), clock.instant());
            return true;
        });
    }

    public List<ImageReplicationStatus> statuses(RegistryId registry, RepositoryName repository, Digest digest) {
        return metadata.read(tx -> tx.replication().statuses(registry, repository.value(), digest)).stream()
                .map(s -> new ImageReplicationStatus(s.destinationRegion(), s.destinationRegistry(), s.status(),
                        s.failureCode())).toList();
    }

    /**
     * Beyond ECR ({@code berth admin replicate --backfill}): enqueues the replication of every image that exists in
     * {@code registry} (only {@code repository}'s when given) to the destinations its configuration names today,
     * as if each had just been pushed. Returns how many jobs were enqueued (an image already waiting for a
     * destination is not enqueued twice). The server's job runner does the copying.
     */
    public int backfill(RegistryId registry, RepositoryName repository) {
        return backfill(registry, repository, (repositories, jobs) -> { });
    }

    /** Receives the progress of a backfill after each repository: how many are done, how many jobs are queued. */
    public interface BackfillProgress {
        void repositoryDone(long repositories, long enqueued);
    }

    /** As {@link #backfill(RegistryId, RepositoryName)}, telling {@code progress} after each repository. */
    public int backfill(RegistryId registry, RepositoryName repository, BackfillProgress progress) {
        ReplicationConfiguration c = configuration(registry);
        int enqueued = 0;
        long done = 0;
        String after = null;
        while (true) {
            String from = after;
            List<io.berth.core.spi.meta.RepositoryRecord> page = metadata.read(tx -> tx.repositories()
                    .list(registry, from, 100));
            for (io.berth.core.spi.meta.RepositoryRecord r : page) {
                if (repository == null || r.name().equals(repository)) {
                    enqueued += backfill(r, c, c.destinationsFor(r.name()));
                    progress.repositoryDone(++done, enqueued);
                }
            }
            if (page.size() < 100) {
                return enqueued;
            }
            after = page.get(page.size() - 1).name().value();
        }
    }

    private int backfill(io.berth.core.spi.meta.RepositoryRecord repo, ReplicationConfiguration c,
                         List<ReplicationConfiguration.Destination> destinations) {
        if (destinations.isEmpty()) {
            return 0;
        }
        int enqueued = 0;
        Digest after = null;
        while (true) {
            Digest from = after;
            List<io.berth.core.spi.meta.ManifestRecord> page = metadata.read(tx -> tx.manifests().list(repo.id(),
                    from, 500));
            for (io.berth.core.spi.meta.ManifestRecord m : page) {
                List<String> tags = metadata.read(tx -> tx.tags().tagsOf(repo.id(), m.digest())).stream()
                        .map(io.berth.core.model.Tag::value).toList();
                for (ReplicationConfiguration.Destination d : destinations) {
                    if (!c.admits(d, tags)) {
                        continue; // beyond ECR: this destination takes only images with a matching tag
                    }
                    String target = new ReplicationTarget(repo.registryId(), repo.name(), m.digest(), d).format();
                    boolean added = metadata.write(tx -> tx.jobs().enqueue(new io.berth.core.spi.meta.JobStore.NewJob(
                            JOB_KIND, target, "replicate:" + target, MAX_ATTEMPTS, clock.instant()), clock.instant())
                            .isPresent());
                    enqueued += added ? 1 : 0;
                }
            }
            if (page.size() < 500) {
                return enqueued;
            }
            after = page.get(page.size() - 1).digest();
        }
    }

    void record(ReplicationTarget t, String status, String failure) {
        metadata.write(tx -> {
            tx.replication().putStatus(t.source(), t.repository().value(), t.digest(), new Status(
                    t.destination().region(), t.destination().registryId(), status, failure, clock.instant()));
            return null;
        });
    }

    /** One image to one destination: what a replication job's target names. */
    record ReplicationTarget(RegistryId source, RepositoryName repository, Digest digest,
                             ReplicationConfiguration.Destination destination) {
        String format() {
            return source.key() + "/" + repository.value() + "@" + digest + ">" + destination.region() + ">"
                    + destination.registryId();
        }

        static ReplicationTarget parse(String target) {
            String[] parts = target.split(">", -1);
            int slash = parts[0].indexOf('/');
            int at = parts[0].lastIndexOf('@');
            if (parts.length != 3 || slash < 0 || at < slash) {
                throw new IllegalArgumentException("not a replication target: " + target);
            }
            return new ReplicationTarget(RegistryId.ofKey(parts[0].substring(0, slash)),
                    RepositoryName.of(parts[0].substring(slash + 1, at)), Digest.parse(parts[0].substring(at + 1)),
                    new ReplicationConfiguration.Destination(parts[1], parts[2]));
        }
    }
}
