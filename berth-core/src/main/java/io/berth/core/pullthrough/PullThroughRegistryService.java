package io.berth.core.pullthrough;

import io.berth.core.auth.Principal;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.event.EventRecorder;
import io.berth.core.model.Descriptor;
import io.berth.core.model.Digest;
import io.berth.core.model.Reference;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import io.berth.core.service.BlobContent;
import io.berth.core.service.CreateGuard;
import io.berth.core.service.RegistryService;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One registry's data plane with its pull-through cache repositories filled from their upstream: a manifest pull
 * under a rule's prefix that the repository cannot answer (or a tag not checked upstream within the refresh
 * interval) fetches the manifest, everything it references, and stores them, through the ordinary push path of the
 * decorated service (so digests are verified and nothing half-stored is served), then serves the stored copy. See
 * {@link UpstreamFetch} for the fetch itself. Everything else passes through.
 */
final class PullThroughRegistryService implements RegistryService {
    private final PullThrough node;
    private final RegistryId registryId;
    private final RegistryService delegate;
    private final CreateGuard createGuard;
    private final CreateGuard importGuard;
    private final String actor;

    PullThroughRegistryService(PullThrough node, RegistryId registryId, RegistryService delegate,
                               CreateGuard createGuard, CreateGuard importGuard, String actor) {
        this.node = node;
        this.registryId = registryId;
        this.delegate = delegate;
        this.createGuard = createGuard;
        this.importGuard = importGuard;
        this.actor = actor;
    }

    @Override
    public RegistryService guardingCreation(CreateGuard guard) {
        return new PullThroughRegistryService(node, registryId, delegate.guardingCreation(guard), guard, importGuard,
                actor);
    }

    @Override
    public RegistryService guardingUpstreamImport(CreateGuard guard) {
        return new PullThroughRegistryService(node, registryId, delegate, createGuard, guard, actor);
    }

    @Override
    public RegistryService pullingAs(String principalArn) {
        return new PullThroughRegistryService(node, registryId, delegate.pullingAs(principalArn), createGuard,
                importGuard, actor);
    }

    @Override
    public RegistryService actingAs(Principal principal) {
        return new PullThroughRegistryService(node, registryId, delegate.actingAs(principal), createGuard,
                importGuard, EventRecorder.actor(principal));
    }

    @Override
    public RegistryService actingAsServer(String serverActor) {
        return new PullThroughRegistryService(node, registryId, delegate.actingAsServer(serverActor), createGuard,
                importGuard, serverActor);
    }

    // ---- the cached reads ----

    @Override
    public StoredManifest getManifest(RepositoryName repo, Reference reference) {
        StoredManifest local;
        try {
            local = delegate.getManifest(repo, reference);
        } catch (RegistryException e) {
            if (e.code() != ErrorCode.MANIFEST_UNKNOWN && e.code() != ErrorCode.NAME_UNKNOWN) {
                throw e;
            }
            local = null;
        }
        if (local != null && reference instanceof Reference.ByDigest) {
            return local; // a digest never changes: never upstream when present
        }
        Optional<PullThroughRule> rule = node.match(registryId, repo);
        if (rule.isEmpty()) {
            if (local == null) {
                return delegate.getManifest(repo, reference); // its own error
            }
            return local;
        }
        return fetch(rule.get()).manifest(repo, reference, local);
    }

    @Override
    public BlobStat statBlob(RepositoryName repo, Digest digest) {
        try {
            return delegate.statBlob(repo, digest);
        } catch (RegistryException e) {
            if (e.code() != ErrorCode.BLOB_UNKNOWN && e.code() != ErrorCode.NAME_UNKNOWN) {
                throw e;
            }
            Optional<PullThroughRule> rule = node.match(registryId, repo);
            if (rule.isEmpty()) {
                throw e;
            }
            return fetch(rule.get()).blob(repo, digest);
        }
    }

    private UpstreamFetch fetch(PullThroughRule rule) {
        return new UpstreamFetch(node, registryId, delegate, rule, createGuard, importGuard, actor);
    }

    /** A blob being fetched upstream is read as it arrives (see {@link InFlightBlob}); a stored one as usual. */
    @Override
    public BlobContent openBlob(RepositoryName repo, Digest digest, long offset, long length) {
        Optional<InFlightBlob> inFlight = node.blobs.current(UpstreamFetch.blobKey(node, registryId, repo, digest));
        if (inFlight.isPresent()) {
            try {
                java.nio.channels.FileChannel channel = inFlight.get().openSpool();
                if (channel != null) {
                    long n = length >= 0 ? length : inFlight.get().awaitLength() - offset;
                    InputStream in = inFlight.get().reader(channel, offset, n);
                    return new BlobContent() {
                        @Override public long length() { return n; }

                        @Override public InputStream stream() { return in; }

                        @Override public void close() throws java.io.IOException { in.close(); }
                    };
                }
            } catch (java.io.IOException e) {
                throw new RegistryException(ErrorCode.UPSTREAM_LAYER_UNAVAILABLE, "could not get blob " + digest
                        + " from the upstream registry: " + e.getMessage());
            }
        }
        return delegate.openBlob(repo, digest, offset, length);
    }

    // ---- everything else: the decorated service ----

    @Override
    public Optional<java.net.URI> blobRedirect(RepositoryName repo, Digest digest, java.time.Duration validity) {
        return delegate.blobRedirect(repo, digest, validity); // a cached blob is the store's like any other
    }

    @Override public void deleteBlob(RepositoryName repo, Digest digest) { delegate.deleteBlob(repo, digest); }

    @Override public UploadStatus startUpload(RepositoryName repo) { return delegate.startUpload(repo); }

    @Override
    public UploadStatus uploadStatus(RepositoryName repo, String uploadId) {
        return delegate.uploadStatus(repo, uploadId);
    }

    @Override
    public UploadStatus appendUpload(RepositoryName repo, String uploadId, InputStream body, Long rangeStart,
                                     long expectedLength) {
        return delegate.appendUpload(repo, uploadId, body, rangeStart, expectedLength);
    }

    @Override
    public BlobStat completeUpload(RepositoryName repo, String uploadId, Digest digest, InputStream body,
                                   Long rangeStart, long expectedLength) {
        return delegate.completeUpload(repo, uploadId, digest, body, rangeStart, expectedLength);
    }

    @Override
    public BlobStat uploadMonolithic(RepositoryName repo, Digest digest, InputStream body, long expectedLength) {
        return delegate.uploadMonolithic(repo, digest, body, expectedLength);
    }

    @Override public void cancelUpload(RepositoryName repo, String uploadId) { delegate.cancelUpload(repo, uploadId); }

    @Override
    public Optional<BlobStat> mount(RepositoryName repo, Digest digest, Optional<RepositoryName> from) {
        return delegate.mount(repo, digest, from);
    }

    @Override
    public Optional<BlobStat> mountFromAny(RepositoryName repo, Digest digest, Predicate<RepositoryName> readable) {
        return delegate.mountFromAny(repo, digest, readable);
    }

    @Override
    public PushedManifest putManifest(RepositoryName repo, Reference reference, String contentType, byte[] body) {
        return delegate.putManifest(repo, reference, contentType, body);
    }

    @Override
    public PushedManifest putManifest(RepositoryName repo, Digest expectedDigest, Tag tag, String contentType,
                                      byte[] body) {
        return delegate.putManifest(repo, expectedDigest, tag, contentType, body);
    }

    @Override public void deleteManifest(RepositoryName repo, Reference reference) {
        delegate.deleteManifest(repo, reference);
    }

    /**
     * Beyond ECR: a cached image's referrers are also those of the upstream (its referrers API, or the referrers tag
     * schema), fetched and stored at most once per refresh interval, then served from here like any other.
     */
    @Override
    public List<Descriptor> referrers(RepositoryName repo, Digest subject, String artifactType) {
        Optional<PullThroughRule> rule = node.match(registryId, repo);
        if (rule.isPresent() && hasManifest(repo, subject)) {
            fetch(rule.get()).refreshReferrers(repo, subject);
        }
        return delegate.referrers(repo, subject, artifactType);
    }

    private boolean hasManifest(RepositoryName repo, Digest digest) {
        try {
            delegate.getManifest(repo, new Reference.ByDigest(digest));
            return true;
        } catch (RegistryException e) {
            if (e.code() == ErrorCode.MANIFEST_UNKNOWN || e.code() == ErrorCode.NAME_UNKNOWN) {
                return false;
            }
            throw e;
        }
    }

    @Override public Page<Tag> listTags(RepositoryName repo, String last, int limit) {
        return delegate.listTags(repo, last, limit);
    }

    @Override public Page<RepositoryName> catalog(String last, int limit) { return delegate.catalog(last, limit); }
}
