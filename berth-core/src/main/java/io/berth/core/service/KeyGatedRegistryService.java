package io.berth.core.service;

import io.berth.core.auth.Principal;
import io.berth.core.model.Descriptor;
import io.berth.core.model.Digest;
import io.berth.core.model.Reference;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import io.berth.core.kms.KeyGate;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.RepositoryRecord;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One registry's data plane behind the {@link KeyGate}: every pull (blob, manifest, referrers) and push (upload,
 * mount, manifest) of a repository encrypted with a KMS key first requires that key usable. Listings, deletes and
 * cancels pass: they neither read nor write image content. A repository that does not exist yet (create on push)
 * passes too; it is checked from its first request after creation.
 */
final class KeyGatedRegistryService implements RegistryService {
    private final RegistryService delegate;
    private final RegistryId account;
    private final MetadataStore metadata;
    private final KeyGate gate;
    /** Null: no envelope encryption (KMS repositories then only follow their key's state). */
    private final EnvelopedReads envelopes;

    KeyGatedRegistryService(RegistryService delegate, RegistryId account, MetadataStore metadata,
                                   KeyGate gate, EnvelopedReads envelopes) {
        this.delegate = delegate;
        this.account = account;
        this.metadata = metadata;
        this.gate = gate;
        this.envelopes = envelopes;
    }

    private RegistryService wrap(RegistryService inner) {
        return new KeyGatedRegistryService(inner, account, metadata, gate, envelopes);
    }

    private void require(RepositoryName repo) {
        gate.require(account, repo, () -> settings(repo));
    }

    private io.berth.core.spi.meta.RepositorySettings settings(RepositoryName repo) {
        return metadata.read(tx -> tx.repositories().get(account, repo)).map(RepositoryRecord::settings).orElse(null);
    }

    /** The repository's envelope form and key when it is a KMS repository and envelopes are on; else null. */
    private KeyGate.RepositoryKey envelopeKey(RepositoryName repo) {
        return envelopes == null ? null : gate.repositoryKey(account, repo, () -> settings(repo));
    }

    /** After a push or mount into a KMS repository: its sealed copy, or a wrapping for its key. */
    private void sealed(RepositoryName repo, Digest digest) {
        KeyGate.RepositoryKey key = envelopeKey(repo);
        if (key != null) {
            envelopes.ensure(key, digest);
        }
    }

    @Override public RegistryService guardingCreation(CreateGuard guard) { return wrap(delegate.guardingCreation(guard)); }

    @Override public RegistryService pullingAs(String principalArn) { return wrap(delegate.pullingAs(principalArn)); }

    @Override
    public RegistryService guardingUpstreamImport(CreateGuard guard) {
        return wrap(delegate.guardingUpstreamImport(guard));
    }

    @Override public RegistryService actingAs(Principal principal) { return wrap(delegate.actingAs(principal)); }

    @Override public RegistryService actingAsServer(String actor) { return wrap(delegate.actingAsServer(actor)); }

    // ---- pulls ----

    @Override
    public BlobStat statBlob(RepositoryName repo, Digest digest) {
        require(repo);
        return delegate.statBlob(repo, digest);
    }

    @Override
    public BlobContent openBlob(RepositoryName repo, Digest digest, long offset, long length) {
        require(repo);
        KeyGate.RepositoryKey key = envelopeKey(repo);
        if (key == null) {
            return delegate.openBlob(repo, digest, offset, length);
        }
        delegate.statBlob(repo, digest); // the repository must hold it: BLOB_UNKNOWN otherwise
        return envelopes.open(key, digest, offset, length);
    }

    @Override
    public Optional<java.net.URI> blobRedirect(RepositoryName repo, Digest digest, Duration validity) {
        require(repo);
        // a KMS repository's blobs are Berth's ciphertext in the bucket: always streamed, never redirected
        return envelopeKey(repo) != null ? Optional.empty() : delegate.blobRedirect(repo, digest, validity);
    }

    @Override
    public StoredManifest getManifest(RepositoryName repo, Reference reference) {
        require(repo);
        return delegate.getManifest(repo, reference);
    }

    @Override
    public List<Descriptor> referrers(RepositoryName repo, Digest subject, String artifactType) {
        require(repo);
        return delegate.referrers(repo, subject, artifactType);
    }

    // ---- pushes ----

    @Override
    public UploadStatus startUpload(RepositoryName repo) {
        require(repo);
        return delegate.startUpload(repo);
    }

    @Override
    public UploadStatus appendUpload(RepositoryName repo, String uploadId, InputStream body, Long rangeStart,
                                     long expectedLength) {
        require(repo);
        return delegate.appendUpload(repo, uploadId, body, rangeStart, expectedLength);
    }

    @Override
    public BlobStat completeUpload(RepositoryName repo, String uploadId, Digest digest, InputStream body,
                                   Long rangeStart, long expectedLength) {
        require(repo);
        BlobStat stat = delegate.completeUpload(repo, uploadId, digest, body, rangeStart, expectedLength);
        sealed(repo, stat.digest());
        return stat;
    }

    @Override
    public BlobStat uploadMonolithic(RepositoryName repo, Digest digest, InputStream body, long expectedLength) {
        require(repo);
        BlobStat stat = delegate.uploadMonolithic(repo, digest, body, expectedLength);
        sealed(repo, stat.digest());
        return stat;
    }

    @Override
    public Optional<BlobStat> mount(RepositoryName repo, Digest digest, Optional<RepositoryName> from) {
        require(repo);
        from.ifPresent(this::require);
        Optional<BlobStat> mounted = delegate.mount(repo, digest, from);
        mounted.ifPresent(m -> sealed(repo, m.digest()));
        return mounted;
    }

    @Override
    public Optional<BlobStat> mountFromAny(RepositoryName repo, Digest digest, Predicate<RepositoryName> readable) {
        require(repo);
        Optional<BlobStat> mounted = delegate.mountFromAny(repo, digest, readable);
        mounted.ifPresent(m -> sealed(repo, m.digest()));
        return mounted;
    }

    @Override
    public PushedManifest putManifest(RepositoryName repo, Reference reference, String contentType, byte[] body) {
        require(repo);
        return delegate.putManifest(repo, reference, contentType, body);
    }

    @Override
    public PushedManifest putManifest(RepositoryName repo, Digest expectedDigest, Tag tag, String contentType,
                                      byte[] body) {
        require(repo);
        return delegate.putManifest(repo, expectedDigest, tag, contentType, body);
    }

    // ---- neither: listings, deletes, status ----

    @Override
    public UploadStatus uploadStatus(RepositoryName repo, String uploadId) {
        return delegate.uploadStatus(repo, uploadId);
    }

    @Override public void deleteBlob(RepositoryName repo, Digest digest) { delegate.deleteBlob(repo, digest); }

    @Override public void cancelUpload(RepositoryName repo, String uploadId) { delegate.cancelUpload(repo, uploadId); }

    @Override public void deleteManifest(RepositoryName repo, Reference reference) {
        delegate.deleteManifest(repo, reference);
    }

    @Override public Page<Tag> listTags(RepositoryName repo, String last, int limit) {
        return delegate.listTags(repo, last, limit);
    }

    @Override public Page<RepositoryName> catalog(String last, int limit) { return delegate.catalog(last, limit); }
}
