package io.berth.core.spi.meta;

import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Image signing, per registry: the signing root, Signer's signing profiles and signing jobs (one per signature
 * made), ECR's signing configuration, each image's signing status per profile, and Berth's verification-on-pull
 * requirements. Keys are sealed by the caller; the store never sees a private key in the clear.
 */
public interface SigningStore {

    /** A registry's signing root CA: its DER certificate and its sealed private key. */
    record Root(byte[] certificate, byte[] keyEncrypted, Instant createdAt) {}

    /**
     * A Signer signing profile.
     *
     * @param status        {@code Active}, {@code Canceled} or {@code Revoked}
     * @param validityType  {@code DAYS}, {@code MONTHS} or {@code YEARS}
     * @param revokedFrom   RevokeSigningProfile's effectiveTime: signatures made from then on are revoked
     */
    record Profile(String name, String version, String platformId, int validityValue, String validityType,
                   String status, String statusReason, byte[] certificate, byte[] keyEncrypted, Instant revokedAt,
                   String revokedBy, Instant revokedFrom, Instant createdAt, Instant updatedAt) {}

    /**
     * A signing job: one signature of one image by one profile.
     *
     * @param status {@code InProgress}, {@code Succeeded} or {@code Failed}
     */
    record Job(String jobId, String profileName, String profileVersion, String repository, Digest digest,
               Digest signatureDigest, String status, String statusReason, String requestedBy, Instant createdAt,
               Instant completedAt, Instant signatureExpiresAt, Instant revokedAt, String revokedBy,
               String revocationReason) {}

    /** DescribeImageSigningStatus's entry: {@code IN_PROGRESS}, {@code COMPLETE} or {@code FAILED}. */
    record ImageStatus(String profileArn, String status, String failureCode, String failureReason, String jobId,
                       Instant updatedAt) {}

    /** A verification-on-pull rule: repositories matching {@code filter} need a signature by one of the profiles. */
    record Requirement(String filter, List<String> profiles, Instant updatedAt) {}

    Optional<Root> root(RegistryId registry);

    /** False (and nothing changes) when the registry has a root already: the first node to create one wins. */
    boolean createRoot(RegistryId registry, Root root);

    Optional<Profile> profile(RegistryId registry, String name);

    /** False when the registry has a profile of that name, in any status. */
    boolean createProfile(RegistryId registry, Profile profile);

    /** Profiles in name order after {@code afterName} (null: from the start), at most {@code limit}. */
    List<Profile> profiles(RegistryId registry, String afterName, int limit);

    /** Sets the status (and the revocation fields, null unless revoking); false when there is no such profile. */
    boolean updateProfileStatus(RegistryId registry, String name, String status, String reason, Instant revokedAt,
                                String revokedBy, Instant revokedFrom, Instant now);

    /** The profile's tags, by key in key order; empty when it has none (or does not exist). */
    java.util.SortedMap<String, String> profileTags(RegistryId registry, String name);

    /** Adds or overwrites these tags of an existing profile. */
    void putProfileTags(RegistryId registry, String name, java.util.Map<String, String> tags);

    /** Removes these tag keys of the profile (keys it does not have are ignored). */
    void deleteProfileTags(RegistryId registry, String name, java.util.Collection<String> keys);

    void insertJob(RegistryId registry, Job job);

    /**
     * Inserts {@code job} as the claim to sign its image with its profile (name and version), unless a live job
     * holds that claim already: an unrevoked {@code Succeeded} one, or an {@code InProgress} one created after
     * {@code staleBefore} (older ones are presumed dead). Atomic across nodes: of two concurrent claims of the same
     * image and profile, exactly one returns true; the loser inserts nothing.
     */
    boolean claimJob(RegistryId registry, Job job, Instant staleBefore);

    /** Sets a job's outcome; false when there is no such job. */
    boolean finishJob(RegistryId registry, String jobId, String status, String reason, Digest signatureDigest,
                      Instant completedAt, Instant signatureExpiresAt);

    Optional<Job> job(RegistryId registry, String jobId);

    /** Jobs newest first (then by ID), skipping {@code offset}, at most {@code limit}. */
    List<Job> jobs(RegistryId registry, int offset, int limit);

    /** The jobs that signed {@code digest} in {@code repository}, oldest first. */
    List<Job> jobsFor(RegistryId registry, String repository, Digest digest);

    /** Marks the job's signature revoked; false when there is no such job or it was revoked already. */
    boolean revokeJob(RegistryId registry, String jobId, String reason, String revokedBy, Instant at);

    Optional<String> configuration(RegistryId registry);

    void putConfiguration(RegistryId registry, String configurationJson, Instant now);

    /** False when there was none. */
    boolean deleteConfiguration(RegistryId registry);

    /** Sets the image's status for one profile (insert or replace). */
    void putImageStatus(RegistryId registry, String repository, Digest digest, ImageStatus status);

    /** The image's statuses in profile ARN order. */
    List<ImageStatus> imageStatuses(RegistryId registry, String repository, Digest digest);

    /** The manifests of the repository that reference {@code blob} (a layer or config), in digest order. */
    List<Digest> manifestsWithBlob(RegistryId registry, String repository, Digest blob, int limit);

    List<Requirement> requirements(RegistryId registry);

    void putRequirement(RegistryId registry, Requirement requirement);

    boolean deleteRequirement(RegistryId registry, String filter);
}
