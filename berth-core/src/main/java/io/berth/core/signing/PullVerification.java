package io.berth.core.signing;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.audit.AuditLog;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.Descriptor;
import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.region.Regions;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.StarPattern;
import io.berth.core.model.Reference;
import io.berth.core.service.BlobContent;
import io.berth.core.service.RegistryService;
import io.berth.core.service.RegistryService.StoredManifest;
import io.berth.core.spi.meta.AuditEvent;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.SigningStore;
import io.berth.core.spi.meta.SigningStore.Profile;
import io.berth.core.spi.meta.SigningStore.Requirement;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Verification on pull: a registry's requirements ({@code berth admin signing require}) name, by repository
 * filter, the signing profiles whose signatures it trusts. A manifest of a covered repository is handed out only
 * when one of its Notary Project signatures passes every check of {@link NotaryVerifier} against the registry's
 * root, its thumbprint annotation matches its chain, its certificate is a trusted profile's, and neither the
 * signature nor the profile (from its effective time on) is revoked. Referrers (the signatures themselves, SBOMs)
 * are not gated: they carry no image. Results are cached per digest for {@link #RESULT_TTL} and dropped on every
 * revocation or requirement change on this node (other nodes see a change within the TTL).
 */
public final class PullVerification implements PullGate {
    static final Duration RESULT_TTL = Duration.ofSeconds(60);
    static final Duration REQUIREMENTS_TTL = Duration.ofSeconds(2);
    private static final AuditEvent.UserIdentity GATE = new AuditEvent.UserIdentity("AWSService", null,
            "berth:signing-verification", null, null);
    private static final int MAX_ENVELOPE_BYTES = 1024 * 1024;
    /** Images looked at for one layer: a layer shared by more images than this is judged by these. */
    private static final int MAX_IMAGES_PER_LAYER = 20;

    /** One signature's verification, with every check, for {@code berth admin signing verify}. */
    public record SignatureReport(Digest signature, List<NotaryVerifier.Check> checks) {
        public boolean valid() {
            return !checks.isEmpty() && checks.stream().allMatch(NotaryVerifier.Check::passed);
        }
    }

    private record Cached(String refusal, Instant until) {}

    private record Rules(List<Requirement> requirements, Instant until) {}

    private final MetadataStore metadata;
    private final Clock clock;
    private final SigningKeys keys;
    private final Function<RegistryId, RegistryService> registries;
    private final AuditLog audit;
    private final Regions regions;
    private final Map<String, Cached> results = new ConcurrentHashMap<>();
    private final Map<RegistryId, Rules> rules = new ConcurrentHashMap<>();

    public PullVerification(MetadataStore metadata, Clock clock, SigningKeys keys,
                            Function<RegistryId, RegistryService> registries, AuditLog audit, Regions regions) {
        this.metadata = metadata;
        this.clock = clock;
        this.keys = keys;
        this.registries = registries;
        this.audit = audit;
        this.regions = regions;
    }

    /** Forgets every cached result: a signature or profile was revoked, or a requirement changed. */
    public void invalidate() {
        results.clear();
        rules.clear();
    }

    public List<Requirement> requirements(RegistryId registry) {
        return metadata.read(tx -> tx.signing().requirements(registry));
    }

    public void require(RegistryId registry, String filter, List<String> profiles) {
        metadata.write(tx -> {
            tx.signing().putRequirement(registry, new Requirement(filter, List.copyOf(profiles), clock.instant()));
            return null;
        });
        invalidate();
    }

    public boolean remove(RegistryId registry, String filter) {
        boolean removed = metadata.write(tx -> tx.signing().deleteRequirement(registry, filter));
        invalidate();
        return removed;
    }

    /** The trusted profile ARNs for the repository: those of every requirement whose filter matches it. */
    public Set<String> trustedFor(RegistryId registry, RepositoryName repository) {
        Instant now = clock.instant();
        Rules r = rules.get(registry);
        if (r == null || !now.isBefore(r.until())) {
            r = new Rules(requirements(registry), now.plus(REQUIREMENTS_TTL));
            rules.put(registry, r);
        }
        Set<String> out = new LinkedHashSet<>();
        for (Requirement q : r.requirements()) {
            if (StarPattern.matches(q.filter(), repository.value())) {
                out.addAll(q.profiles());
            }
        }
        return out;
    }

    @Override
    public void check(RegistryId registry, RepositoryName repository, StoredManifest manifest) {
        if (manifest.subject() != null) {
            return;
        }
        Set<String> trusted = trustedFor(registry, repository);
        if (trusted.isEmpty()) {
            return;
        }
        String refusal = cachedRefusal(registry, repository, manifest, trusted);
        if (refusal != null) {
            throw refused(registry, repository, "image", manifest.digest(), refusal);
        }
    }

    /**
     * A blob GET ({@code /v2} or ECR's GetDownloadUrlForLayer) in a covered repository: a blob that images
     * reference must belong to one that may be pulled, so a refused image's layers are not handed out by digest
     * either. A blob only referrers reference (a signature's envelope, which notation reads) is served.
     */
    @Override
    public void checkBlob(RegistryId registry, RepositoryName repository, Digest blob) {
        Set<String> trusted = trustedFor(registry, repository);
        if (trusted.isEmpty()) {
            return;
        }
        RegistryService plane = registries.apply(registry);
        String first = null;
        boolean images = false;
        for (Digest d : metadata.read(tx -> tx.signing().manifestsWithBlob(registry, repository.value(), blob,
                MAX_IMAGES_PER_LAYER))) {
            StoredManifest m = plane.getManifest(repository, new Reference.ByDigest(d));
            if (m.subject() != null) {
                continue; // a referrer's blob (a signature's envelope) says nothing about the image's layers
            }
            images = true;
            String refusal = cachedRefusal(registry, repository, m, trusted);
            if (refusal == null) {
                return;
            }
            first = first == null ? refusal : first;
        }
        if (!images) {
            return;
        }
        throw refused(registry, repository, "layer", blob, "it belongs to no image that may be pulled"
                + (first == null ? "" : " (" + first + ")"));
    }

    private String cachedRefusal(RegistryId registry, RepositoryName repository, StoredManifest manifest,
                                 Set<String> trusted) {
        String key = registry.key() + "/" + repository.value() + "@" + manifest.digest(); // per region
        Instant now = clock.instant();
        Cached c = results.get(key);
        if (c == null || !now.isBefore(c.until())) {
            c = new Cached(refusal(registry, repository, manifest, trusted, now), now.plus(RESULT_TTL));
            results.put(key, c);
        }
        return c.refusal();
    }

    private RegistryException refused(RegistryId registry, RepositoryName repository, String what, Digest digest,
                                      String reason) {
        audit.record(new AuditEvent(clock.instant(), "PullRefused", AuditEvent.SOURCE_REGISTRY, GATE, null, null,
                "{\"" + (what.equals("image") ? "imageDigest" : "layerDigest") + "\":\"" + digest + "\"}", null,
                "DENIED", reason, null, repository.value(), registry.value()));
        return new RegistryException(ErrorCode.DENIED, what + " " + repository.value() + "@" + digest
                + " may not be pulled: " + reason);
    }

    /** Null when one signature passes; else why none did. */
    private String refusal(RegistryId registry, RepositoryName repository, StoredManifest manifest,
                           Set<String> trusted, Instant now) {
        List<SignatureReport> reports = verify(registry, repository, manifest, trusted, now);
        if (reports.isEmpty()) {
            return "it has no Notary Project signature (signing is required for this repository)";
        }
        if (reports.stream().anyMatch(SignatureReport::valid)) {
            return null;
        }
        List<String> why = new ArrayList<>();
        for (SignatureReport r : reports) {
            r.checks().stream().filter(x -> !x.passed()).findFirst()
                    .ifPresent(x -> why.add(x.name() + ": " + x.detail()));
        }
        return "no valid signature (" + String.join("; ", why) + ")";
    }

    /** Every signature of the image with every check, trusting the given profile ARNs. */
    public List<SignatureReport> verify(RegistryId registry, RepositoryName repository, StoredManifest manifest,
                                        Set<String> trusted) {
        return verify(registry, repository, manifest, trusted, clock.instant());
    }

    private List<SignatureReport> verify(RegistryId registry, RepositoryName repository, StoredManifest manifest,
                                         Set<String> trusted, Instant now) {
        RegistryService plane = registries.apply(registry);
        List<SignatureReport> out = new ArrayList<>();
        X509Certificate root = keys.root(registry);
        Descriptor target = new Descriptor(manifest.mediaType(), manifest.digest(), manifest.content().length,
                null, null);
        List<SigningStore.Job> jobs = metadata.read(tx -> tx.signing().jobsFor(registry, repository.value(),
                manifest.digest()));
        for (Descriptor sig : plane.referrers(repository, manifest.digest(), NotarySignature.ARTIFACT_TYPE)) {
            List<NotaryVerifier.Check> checks = new ArrayList<>();
            try {
                StoredManifest sm = plane.getManifest(repository, new Reference.ByDigest(sig.digest()));
                JsonNode m = NotarySignature.JSON.readTree(sm.content());
                JsonNode layer = m.path("layers").path(0);
                if (m.path("layers").size() != 1 || !NotarySignature.ENVELOPE_MEDIA_TYPE.equals(
                        layer.path("mediaType").asText())) {
                    checks.add(new NotaryVerifier.Check("signature manifest", false,
                            "not one application/jose+json layer"));
                    out.add(new SignatureReport(sig.digest(), checks));
                    continue;
                }
                byte[] envelope = read(plane, repository, Digest.parse(layer.path("digest").asText()));
                NotaryVerifier.Result r = new NotaryVerifier(List.of(root)).verify(envelope, target, now);
                checks.addAll(r.checks());
                if (r.valid()) {
                    checks.add(thumbprints(m, envelope));
                    checks.add(trust(registry, trusted, r));
                    checks.add(revocation(registry, r, jobs, sig.digest()));
                }
            } catch (IOException | RuntimeException e) {
                checks.add(new NotaryVerifier.Check("signature manifest", false, "unreadable: " + e.getMessage()));
            }
            out.add(new SignatureReport(sig.digest(), checks));
        }
        return out;
    }

    private static byte[] read(RegistryService plane, RepositoryName repository, Digest digest) throws IOException {
        try (BlobContent b = plane.openBlob(repository, digest, 0, -1); InputStream in = b.stream()) {
            byte[] bytes = in.readNBytes(MAX_ENVELOPE_BYTES + 1);
            if (bytes.length > MAX_ENVELOPE_BYTES) {
                throw new IOException("the envelope is larger than " + MAX_ENVELOPE_BYTES + " bytes");
            }
            return bytes;
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /** The manifest's thumbprint annotation must name the envelope's chain: an edited manifest is tampered. */
    private static NotaryVerifier.Check thumbprints(JsonNode manifest, byte[] envelope) throws IOException {
        String name = "thumbprint annotation";
        String annotated = manifest.path("annotations").path(NotarySignature.THUMBPRINT_ANNOTATION).asText(null);
        if (annotated == null) {
            return new NotaryVerifier.Check(name, false, "missing");
        }
        List<String> expected = new ArrayList<>();
        for (JsonNode c : NotarySignature.JSON.readTree(envelope).path("header").path("x5c")) {
            expected.add(Certificates.sha256Thumbprint(Certificates.parse(java.util.Base64.getDecoder()
                    .decode(c.asText()))));
        }
        List<String> got = new ArrayList<>();
        NotarySignature.JSON.readTree(annotated).forEach(n -> got.add(n.asText().toLowerCase(java.util.Locale.ROOT)));
        return got.equals(expected) ? new NotaryVerifier.Check(name, true, "matches the chain")
                : new NotaryVerifier.Check(name, false, "does not match the envelope's chain (tampered)");
    }

    private NotaryVerifier.Check trust(RegistryId registry, Set<String> trusted, NotaryVerifier.Result r) {
        String name = "trusted profile";
        byte[] leaf = Certificates.der(r.leaf());
        for (String arn : trusted) {
            var parsed = SigningArns.parseProfile(arn).filter(a -> a.account().sameAccount(registry)
                    && a.region().equals(regions.nameOf(registry)));
            if (parsed.isEmpty()) {
                continue;
            }
            Profile p = metadata.read(tx -> tx.signing().profile(registry, parsed.get().name())).orElse(null);
            if (p != null && (parsed.get().version() == null || parsed.get().version().equals(p.version()))
                    && Arrays.equals(p.certificate(), leaf)) {
                return new NotaryVerifier.Check(name, true, "signed by " + arn);
            }
        }
        return new NotaryVerifier.Check(name, false, "signed by a key of no trusted profile ("
                + r.leaf().getSubjectX500Principal().getName() + ")");
    }

    private NotaryVerifier.Check revocation(RegistryId registry, NotaryVerifier.Result r, List<SigningStore.Job> jobs,
                                            Digest signature) {
        String name = "revocation";
        for (SigningStore.Job j : jobs) {
            if (signature.equals(j.signatureDigest()) && j.revokedAt() != null) {
                return new NotaryVerifier.Check(name, false, "the signature (job " + j.jobId() + ") was revoked: "
                        + j.revocationReason());
            }
        }
        byte[] leaf = Certificates.der(r.leaf());
        List<Profile> revoked = metadata.read(tx -> tx.signing().profiles(registry, null, 10_000)).stream()
                .filter(p -> "Revoked".equals(p.status()) && Arrays.equals(p.certificate(), leaf)).toList();
        for (Profile p : revoked) {
            if (p.revokedFrom() == null || !r.signedAt().isBefore(p.revokedFrom())) {
                return new NotaryVerifier.Check(name, false, "the signing profile " + p.name() + " was revoked"
                        + (p.statusReason() == null ? "" : ": " + p.statusReason()));
            }
        }
        return new NotaryVerifier.Check(name, true, "not revoked");
    }
}
