package io.berth.core.signing;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.audit.AuditLog;
import io.berth.core.error.RegistryException;
import io.berth.core.model.Descriptor;
import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.core.model.Reference;
import io.berth.core.model.RegistryId;
import io.berth.core.region.Regions;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.RegistryService;
import io.berth.core.spi.meta.AuditEvent;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.SigningStore.ImageStatus;
import io.berth.core.spi.meta.SigningStore.Job;
import io.berth.core.spi.meta.SigningStore.Profile;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ECR managed signing: the registry's signing configuration, and the signing job a push starts, which signs the
 * image once per matching profile (an index along with each of its children) with a Notary Project signature
 * pushed through the normal push path as a referrer, recording a Signer signing job per signature and the image's
 * status per profile for DescribeImageSigningStatus.
 */
public final class ImageSigning {
    public static final String JOB_KIND = "image-sign";
    /** Who acted in the event stream when the signer pushed a signature: triggers ignore its pushes. */
    public static final String ACTOR = "berth:signer";
    public static final String PLATFORM = "Notation-OCI-SHA384-ECDSA";
    public static final String AGENT = "berth-signer/1.0";
    static final int MAX_ATTEMPTS = 3;
    /** How long an unfinished signing job keeps others from signing the same image (then it is presumed dead). */
    static final java.time.Duration CLAIM = java.time.Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(ImageSigning.class);
    private static final AuditEvent.UserIdentity SIGNER = new AuditEvent.UserIdentity("AWSService", null, ACTOR,
            null, null);
    private static final String SOURCE = "signer.amazonaws.com";

    private final MetadataStore metadata;
    private final Clock clock;
    private final AuditLog audit;
    private final Function<RegistryId, RegistryService> registries;
    private final SigningKeys keys;
    private final Regions regions;
    private final PullVerification verification;
    private final SigningPermission permission;

    /**
     * @param regions the deployment's: a registry's profiles, configuration and statuses are those of its account
     *                in its region, and its profile ARNs name that region
     */
    public ImageSigning(MetadataStore metadata, Clock clock, AuditLog audit,
                        Function<RegistryId, RegistryService> registries, SigningKeys keys, Regions regions,
                        SigningPermission permission) {
        this.metadata = metadata;
        this.clock = clock;
        this.audit = audit;
        this.registries = registries;
        this.keys = keys;
        this.regions = regions;
        this.permission = permission;
        this.verification = new PullVerification(metadata, clock, keys, registries, audit, regions);
    }

    /** Verification on pull, which the HTTP planes ask before handing out a manifest. */
    public PullVerification verification() { return verification; }

    public Regions regions() { return regions; }

    public SigningKeys keys() { return keys; }

    public Optional<SigningConfiguration> configuration(RegistryId registry) {
        return metadata.read(tx -> tx.signing().configuration(registry)).map(SigningConfiguration::fromJson);
    }

    public void putConfiguration(RegistryId registry, SigningConfiguration c) {
        metadata.write(tx -> {
            tx.signing().putConfiguration(registry, c.toJson(), clock.instant());
            return null;
        });
    }

    /** The configuration that was deleted; empty when there was none. Existing signatures stay. */
    public Optional<SigningConfiguration> deleteConfiguration(RegistryId registry) {
        return metadata.write(tx -> {
            Optional<String> c = tx.signing().configuration(registry);
            c.ifPresent(x -> tx.signing().deleteConfiguration(registry));
            return c.map(SigningConfiguration::fromJson);
        });
    }

    /** True when a rule of the registry's configuration covers the repository. */
    public boolean signsOnPush(RegistryId registry, RepositoryName repository) {
        return configuration(registry).map(c -> !c.profilesFor(repository.value()).isEmpty()).orElse(false);
    }

    /** What the HTTP planes see of a profile. */
    public record ProfileState(String name, String version, String status) {}

    /** DescribeImageSigningStatus's entry: {@code IN_PROGRESS}, {@code COMPLETE} or {@code FAILED}. */
    public record SigningStatus(String profileArn, String status, String failureCode, String failureReason) {}

    public Optional<ProfileState> profile(RegistryId registry, String name) {
        return metadata.read(tx -> tx.signing().profile(registry, name))
                .map(p -> new ProfileState(p.name(), p.version(), p.status()));
    }

    public List<SigningStatus> statuses(RegistryId registry, RepositoryName repository, Digest digest) {
        return metadata.read(tx -> tx.signing().imageStatuses(registry, repository.value(), digest)).stream()
                .map(s -> new SigningStatus(s.profileArn(), s.status(), s.failureCode(), s.failureReason()))
                .toList();
    }

    public static String target(RegistryId registry, RepositoryName repository, Digest digest) {
        return registry.key() + "/" + repository.value() + "@" + digest; // the key: the region survives the queue
    }

    /**
     * The job's target: the image and, after {@link #PUSHER}, the pusher's ARN, whose identity signs it. The unique
     * key is the image's alone, so pushes of one image by two principals queue one job.
     */
    public static String target(RegistryId registry, RepositoryName repository, Digest digest, String pusher) {
        String image = target(registry, repository, digest);
        return pusher == null ? image : image + PUSHER + pusher;
    }

    /** Between the image and the pusher in a target: in neither a repository name, a digest nor an IAM ARN. */
    static final char PUSHER = '|';

    public static String uniqueKey(String target) {
        return "sign:" + target;
    }

    /** The job: signs the target image for every profile whose rule covers its repository now. */
    public void run(String job) {
        int bar = job.indexOf(PUSHER);
        String target = bar < 0 ? job : job.substring(0, bar);
        String pusher = bar < 0 ? null : job.substring(bar + 1); // a target queued before pushers were recorded: none
        int slash = target.indexOf('/');
        int at = target.lastIndexOf('@');
        if (slash < 0 || at < slash) {
            throw new IllegalArgumentException("not a signing target: " + target);
        }
        RegistryId registry = RegistryId.ofKey(target.substring(0, slash));
        RepositoryName repository = RepositoryName.of(target.substring(slash + 1, at));
        Digest digest = Digest.parse(target.substring(at + 1));
        Optional<SigningConfiguration> c = configuration(registry);
        if (c.isEmpty()) {
            return;
        }
        RegistryService plane = registries.apply(registry).actingAsServer(ACTOR);
        RegistryService.StoredManifest image;
        try {
            image = plane.getManifest(repository, new Reference.ByDigest(digest));
        } catch (RegistryException e) {
            return; // deleted before its signing ran
        }
        if (image.subject() != null) {
            return; // a referrer (a signature, an SBOM) is not an image to sign
        }
        List<RegistryService.StoredManifest> images = new ArrayList<>(List.of(image));
        images.addAll(children(plane, repository, image));
        for (String profileArn : c.get().profilesFor(repository.value())) {
            for (RegistryService.StoredManifest m : images) {
                signFor(registry, repository, m, profileArn, pusher, plane);
            }
        }
    }

    /** An index's children that are in the repository (a child that is missing cannot be signed, nor pulled). */
    private static List<RegistryService.StoredManifest> children(RegistryService plane, RepositoryName repository,
                                                                 RegistryService.StoredManifest image) {
        if (!MediaTypes.isIndex(image.mediaType())) {
            return List.of();
        }
        List<RegistryService.StoredManifest> out = new ArrayList<>();
        try {
            for (JsonNode child : NotarySignature.JSON.readTree(image.content()).path("manifests")) {
                try {
                    out.add(plane.getManifest(repository, new Reference.ByDigest(
                            Digest.parse(child.path("digest").asText()))));
                } catch (RegistryException | IllegalArgumentException e) {
                    LOG.debug("index {} child {} not signed: {}", image.digest(), child.path("digest"), e.toString());
                }
            }
        } catch (java.io.IOException e) {
            LOG.debug("index {} does not parse: {}", image.digest(), e.toString());
        }
        return out;
    }

    private void signFor(RegistryId registry, RepositoryName repository, RegistryService.StoredManifest image,
                         String profileArn, String pusher, RegistryService plane) {
        Digest digest = image.digest();
        Optional<Profile> profile = SigningArns.parseProfile(profileArn)
                .filter(a -> a.account().sameAccount(registry) && a.region().equals(regions.nameOf(registry)))
                .flatMap(a -> metadata.read(tx -> tx.signing().profile(registry, a.name())));
        if (profile.isEmpty()) {
            status(registry, repository, digest, profileArn, "FAILED", "SIGNING_PROFILE_NOT_FOUND",
                    "The signing profile " + profileArn + " does not exist", null);
            return;
        }
        Profile p = profile.get();
        if (!"Active".equals(p.status())) {
            status(registry, repository, digest, profileArn, "FAILED", "SIGNING_PROFILE_NOT_ACTIVE",
                    "The signing profile is " + p.status(), null);
            return;
        }
        // ECR signs with the pusher's identity: it needs signer:SignPayload on the profile (ECR's failureCode for
        // a refusal is not documented; SIGNING_PERMISSION_DENIED is Berth's)
        Optional<String> refused = permission.refusal(registry, pusher, profileArn);
        if (refused.isPresent()) {
            status(registry, repository, digest, profileArn, "FAILED", "SIGNING_PERMISSION_DENIED", refused.get(),
                    null);
            return;
        }
        Instant now = clock.instant();
        String jobId = UUID.randomUUID().toString();
        // claimed atomically in the write that records the job: an index's job and its child's own push job both
        // reach the child, two nodes may run the same image's job, and a repeated run (after a crash, or a re-push)
        // must not sign twice
        boolean claimed = metadata.write(tx -> {
            if (!tx.signing().claimJob(registry, new Job(jobId, p.name(), p.version(), repository.value(), digest,
                    null, "InProgress", null, pusher == null ? ACTOR : pusher, now, null, null, null, null, null),
                    now.minus(CLAIM))) {
                return false;
            }
            tx.signing().putImageStatus(registry, repository.value(), digest, new ImageStatus(profileArn,
                    "IN_PROGRESS", null, null, jobId, now));
            return true;
        });
        if (!claimed) {
            return;
        }
        try {
            Instant expiry = expiry(p, now);
            SigningKeys.KeyMaterial key = keys.forProfile(registry, p);
            Descriptor target = new Descriptor(image.mediaType(), digest, image.content().length, null, null);
            NotarySignature s = NotarySignature.sign(target, key.key(), key.chain(), now, expiry, AGENT);
            for (Map.Entry<Digest, byte[]> b : s.blobs().entrySet()) {
                plane.uploadMonolithic(repository, b.getKey(), new ByteArrayInputStream(b.getValue()),
                        b.getValue().length);
            }
            plane.putManifest(repository, new Reference.ByDigest(s.manifestDigest()), MediaTypes.OCI_MANIFEST,
                    s.manifest());
            Instant done = clock.instant();
            metadata.write(tx -> {
                tx.signing().finishJob(registry, jobId, "Succeeded", null, s.manifestDigest(), done, expiry);
                tx.signing().putImageStatus(registry, repository.value(), digest, new ImageStatus(profileArn,
                        "COMPLETE", null, null, jobId, done));
                return null;
            });
            record(registry, repository, "SignImage", digest, profileArn, jobId, null, null);
        } catch (RuntimeException e) {
            LOG.warn("signing {}@{} with {} failed", repository.value(), digest, profileArn, e);
            String reason = e instanceof RegistryException r ? r.getMessage() : "internal error: " + e;
            metadata.write(tx -> {
                tx.signing().finishJob(registry, jobId, "Failed", reason, null, clock.instant(), null);
                tx.signing().putImageStatus(registry, repository.value(), digest, new ImageStatus(profileArn,
                        "FAILED", "SIGNING_FAILED", reason, jobId, clock.instant()));
                return null;
            });
            record(registry, repository, "SignImage", digest, profileArn, jobId, "SigningFailed", reason);
        }
    }

    /** The signature's expiry: the signing time plus the profile's signatureValidityPeriod. */
    static Instant expiry(Profile p, Instant from) {
        var t = from.atOffset(ZoneOffset.UTC);
        var end = switch (p.validityType()) {
            case "DAYS" -> t.plusDays(p.validityValue());
            case "YEARS" -> t.plusYears(p.validityValue());
            default -> t.plusMonths(p.validityValue());
        };
        return end.toInstant();
    }

    private void status(RegistryId registry, RepositoryName repository, Digest digest, String profileArn,
                        String status, String code, String reason, String jobId) {
        metadata.write(tx -> {
            tx.signing().putImageStatus(registry, repository.value(), digest, new ImageStatus(profileArn, status,
                    code, reason, jobId, clock.instant()));
            return null;
        });
        record(registry, repository, "SignImage", digest, profileArn, jobId, code, reason);
    }

    private void record(RegistryId registry, RepositoryName repository, String event, Digest digest,
                        String profileArn, String jobId, String errorCode, String message) {
        audit.record(new AuditEvent(clock.instant(), event, SOURCE, SIGNER, null, null,
                "{\"imageDigest\":\"" + digest + "\",\"signingProfileArn\":\"" + profileArn + "\"}",
                jobId == null ? null : "{\"jobId\":\"" + jobId + "\"}", errorCode, message, null, repository.value(),
                registry.value()));
    }
}
