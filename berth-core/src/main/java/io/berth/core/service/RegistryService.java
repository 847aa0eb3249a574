package io.berth.core.service;

import io.berth.core.model.Descriptor;
import io.berth.core.model.Digest;
import io.berth.core.model.Reference;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * The registry's data plane, as the OCI Distribution API needs it, independent of HTTP. Every method throws
 * {@link io.berth.core.error.RegistryException} for conditions a client can be told about; anything else is a
 * server fault. Names are validated value types, so a handler parses first and calls second.
 *
 * <p>Reads of a repository that does not exist throw {@code NAME_UNKNOWN}; pushes create it (when the registry
 * creates on push, and the {@link #guardingCreation guard} allows it).
 */
public interface RegistryService {

    /**
     * This data plane, with pushes (upload start, monolithic upload, mount, manifest PUT) that ask {@code guard}
     * just before they would create the repository; pushes to an existing repository never ask.
     */
    RegistryService guardingCreation(CreateGuard guard);

    /**
     * This data plane, with manifest reads recorded as pulls by {@code principalArn} (null: anonymous), so a
     * principal with a pull-time update exclusion leaves {@code lastRecordedPullTime} alone. Implementations that
     * record no pull times return themselves.
     */
    default RegistryService pullingAs(String principalArn) {
        return this;
    }

    /**
     * This data plane, with pulls that would fetch from a pull-through cache's upstream asking {@code guard} first
     * (the HTTP planes check {@code ecr:BatchImportUpstreamImage} there). Implementations without an upstream
     * return themselves.
     */
    default RegistryService guardingUpstreamImport(CreateGuard guard) {
        return this;
    }

    /** This data plane, with the events of its writes naming {@code principal} (the stream's principal). */
    RegistryService actingAs(io.berth.core.auth.Principal principal);

    /**
     * This data plane, with the events of its writes naming the server itself ({@code berth:scanner} for the SBOMs
     * the scanner attaches), so triggers can tell its writes from users'.
     */
    RegistryService actingAsServer(String serverActor);

    // ---- blobs ----

    /** A blob linked to the repository; {@code BLOB_UNKNOWN} otherwise. */
    BlobStat statBlob(RepositoryName repo, Digest digest);

    /**
     * Opens a linked blob for the byte range {@code [offset, offset+length)} ({@code length} -1 for to the end).
     * The caller validated the range against {@link #statBlob}.
     */
    BlobContent openBlob(RepositoryName repo, Digest digest, long offset, long length);

    /**
     * A URL that serves the linked blob directly from the blob store for {@code validity}, when the store offers
     * one and redirects are enabled ({@code storage.redirect}); empty means the caller streams it. The caller has
     * checked the blob is linked ({@link #statBlob}). Not a default method: a decorator (the pull-through cache)
     * must pass it on, or redirects silently stop.
     */
    java.util.Optional<java.net.URI> blobRedirect(RepositoryName repo, Digest digest, java.time.Duration validity);

    /** Unlinks a blob from the repository ({@code BLOB_UNKNOWN} if not linked). GC reclaims the bytes later. */
    void deleteBlob(RepositoryName repo, Digest digest);

    // ---- uploads ----

    UploadStatus startUpload(RepositoryName repo);

    UploadStatus uploadStatus(RepositoryName repo, String uploadId);

    /**
     * Appends a chunk. {@code rangeStart} is the first byte's offset from {@code Content-Range}, or null for a
     * streamed PATCH; a start other than the current size gets {@code BLOB_UPLOAD_RANGE_INVALID} (416).
     * {@code expectedLength} is {@code Content-Length} or -1; a body shorter than that leaves the session at what
     * arrived and gets {@code BLOB_UPLOAD_INVALID}.
     */
    UploadStatus appendUpload(RepositoryName repo, String uploadId, InputStream body, Long rangeStart,
                              long expectedLength);

    /**
     * Appends an optional last chunk ({@code body} may be null), verifies the digest and commits. On a digest
     * mismatch nothing is stored and the session is gone ({@code DIGEST_MISMATCH}).
     */
    BlobStat completeUpload(RepositoryName repo, String uploadId, Digest digest, InputStream body, Long rangeStart,
                            long expectedLength);

    /** A single-request upload ({@code POST ?digest=}). */
    BlobStat uploadMonolithic(RepositoryName repo, Digest digest, InputStream body, long expectedLength);

    void cancelUpload(RepositoryName repo, String uploadId);

    /**
     * Links an existing blob into {@code repo}: from {@code from} when given (which must hold it), or, when
     * {@code from} is empty, from any repository of this registry that links it. Empty when it cannot mount (the
     * client then uploads).
     */
    Optional<BlobStat> mount(RepositoryName repo, Digest digest, Optional<RepositoryName> from);

    /**
     * A mount without {@code from} on behalf of a caller who may read only some repositories: from the first
     * repository of this registry (in name order, among the first thousand that link the blob) that
     * {@code readable} accepts. Repositories {@code readable} refuses are never a source, so the answer says
     * nothing about them.
     */
    Optional<BlobStat> mountFromAny(RepositoryName repo, Digest digest,
                                    java.util.function.Predicate<RepositoryName> readable);

    // ---- manifests ----

    /** {@code MANIFEST_UNKNOWN} when absent. */
    StoredManifest getManifest(RepositoryName repo, Reference reference);

    /**
     * Stores the exact bytes under their digest (computed with the reference's algorithm when pushed by digest,
     * else sha256) and, when pushed by tag, points the tag at it.
     * @param contentType the request's Content-Type; null or empty means "take {@code mediaType} from the body"
     */
    PushedManifest putManifest(RepositoryName repo, Reference reference, String contentType, byte[] body);

    /**
     * ECR's PutImage form of {@link #putManifest(RepositoryName, Reference, String, byte[])}: an optional expected
     * digest (sha256 of the bytes otherwise) and an optional tag, both at once. Same validation and storage; tag
     * immutability is enforced here for both APIs ({@code TAG_IMMUTABLE}).
     */
    PushedManifest putManifest(RepositoryName repo, Digest expectedDigest, Tag tag, String contentType,
                               byte[] body);

    /** By digest: deletes the manifest and its tags. By tag: removes the tag only. */
    void deleteManifest(RepositoryName repo, Reference reference);

    /**
     * Manifests whose subject is {@code subject}, as descriptors for an OCI index, optionally filtered by
     * {@code artifactType} (null for all). Unknown subject or repository: an empty list.
     */
    List<Descriptor> referrers(RepositoryName repo, Digest subject, String artifactType);

    // ---- listing ----

    /** Tags in lexical order after {@code last} (null for the start), at most {@code limit}. */
    Page<Tag> listTags(RepositoryName repo, String last, int limit);

    /** Repository names in lexical order after {@code last}, at most {@code limit}. */
    Page<RepositoryName> catalog(String last, int limit);

    // ---- value types ----

    record BlobStat(Digest digest, long size) {}

    record UploadStatus(String uploadId, long size) {}

    record StoredManifest(Digest digest, String mediaType, byte[] content, Digest subject) {}

    /** @param changed false when the manifest and the tag (if any) were already exactly so */
    record PushedManifest(Digest digest, Digest subject, boolean changed) {
        public PushedManifest(Digest digest, Digest subject) {
            this(digest, subject, true);
        }
    }

    /** One page and whether more follow. */
    record Page<T>(List<T> items, boolean hasMore) {}
}
