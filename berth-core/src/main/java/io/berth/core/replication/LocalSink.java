package io.berth.core.replication;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import io.berth.core.service.CreateGuard;
import io.berth.core.service.CreationTemplate;
import io.berth.core.service.RegistryService;
import io.berth.core.service.RegistryServices;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.RepositoryRecord;
import io.berth.core.spi.meta.RepositorySettings;
import java.time.Clock;
import java.util.Set;

/**
 * A repository of another registry of this deployment (another region, another account). Blobs are shared and
 * content-addressed, so a blob is linked into the destination repository, never copied. The repository is created
 * on first use from the destination's REPLICATION creation template, or else with the source repository's
 * settings (tag mutability, scan on push, encryption). KMS keys are regional and the account's own, so a source's
 * key of another region or account is not copied: such a destination uses its own {@code alias/aws/ecr} key.
 * Every blob linked is made readable at the destination ({@link RegistryServices#replicaLinked}): a KMS
 * destination's key gets a wrapping of the blob's data keys (a re-wrap, not a copy).
 */
final class LocalSink implements ReplicaSink {
    private final MetadataStore metadata;
    private final Clock clock;
    private final RegistryServices services;
    private final RegistryId registry;
    private final RegistryService destination;
    private final RepositoryName repository;
    private final long repositoryId;

    /**
     * @param region         the region name of {@code registry} (what its key ARNs carry)
     * @param sourceSettings the source repository's settings, for a destination no template covers
     */
    LocalSink(RegistryServices services, MetadataStore metadata, Clock clock, RegistryId registry, String region,
              RepositoryName repository, RepositorySettings sourceSettings) {
        this.metadata = metadata;
        this.clock = clock;
        this.repository = repository;
        this.services = services;
        this.registry = registry;
        this.destination = services.forRegistry(registry).actingAsServer(ReplicationTrigger.ACTOR);
        RepositoryRecord r = metadata.read(tx -> tx.repositories().get(registry, repository)).orElseGet(() -> {
            var creation = services.creation(registry, ReplicationTrigger.ACTOR);
            creation.create(repository, creation.templateFor(repository, CreationTemplate.REPLICATION),
                    withOwnKey(sourceSettings, registry, region, services.keyGate()), CreateGuard.ANYONE);
            return metadata.read(tx -> tx.repositories().get(registry, repository)).orElseThrow();
        });
        this.repositoryId = r.id();
    }

    @Override
    public void blob(Digest digest, BlobSource source) {
        metadata.write(tx -> {
            if (tx.blobs().isLinked(repositoryId, digest)) {
                return null;
            }
            if (tx.blobs().lockLive(Set.of(digest)).isEmpty()) {
                // the source holds it, so only a sweep in progress could be deleting it: the retry finds it kept
                throw new IllegalStateException("blob " + digest + " is being deleted");
            }
            tx.blobs().link(repositoryId, digest, clock.instant());
            return null;
        });
        services.replicaLinked(registry, repository, digest);
    }

    /**
     * {@code settings} with a kmsKey of {@code registry}'s own: another region's or account's key is replaced by the
     * registry's {@code alias/aws/ecr} key (its ARN, as a CreateRepository without kmsKey stores it).
     */
    static RepositorySettings withOwnKey(RepositorySettings settings, RegistryId registry, String region,
                                         io.berth.core.kms.KeyGate gate) {
        if (settings == null || settings.kmsKey() == null) {
            return settings;
        }
        String[] arn = settings.kmsKey().split(":", 6);
        boolean own = arn.length == 6 && arn[3].equals(region) && arn[4].equals(registry.value());
        if (own) {
            return settings;
        }
        String managed = gate == null ? null : gate.resolveForCreation(registry, settings.encryptionType(), null);
        return new RepositorySettings(settings.tagMutability(), settings.exclusionFilters(), settings.scanOnPush(),
                settings.encryptionType(), managed);
    }

    @Override
    public void delete(Digest digest) {
        try {
            destination.deleteManifest(repository, new io.berth.core.model.Reference.ByDigest(digest));
        } catch (RegistryException e) {
            if (e.code() != ErrorCode.MANIFEST_UNKNOWN && e.code() != ErrorCode.NAME_UNKNOWN) {
                throw e;
            }
        }
    }

    @Override
    public void manifest(Digest digest, String tag, String mediaType, byte[] content) {
        try {
            destination.putManifest(repository, digest, tag == null ? null : Tag.of(tag), mediaType, content);
        } catch (RegistryException e) {
            if (e.code() != ErrorCode.TAG_IMMUTABLE) {
                throw e;
            }
            // ECR: an immutable tag that points elsewhere at the destination leaves the image there untagged
        }
    }
}
