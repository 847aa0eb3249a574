package io.berth.core.pullthrough;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.manifest.ManifestParser;
import io.berth.core.manifest.ParsedManifest;
import io.berth.core.model.Descriptor;
import io.berth.core.model.Digest;
import io.berth.core.model.Reference;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.CreateGuard;
import io.berth.core.service.RegistryService;
import io.berth.core.service.RegistryService.BlobStat;
import io.berth.core.service.RegistryService.StoredManifest;
import io.berth.core.service.TemplatedCreation;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pull's trip upstream under one rule. The manifest is fetched and its digest checked (against the reference
 * when pulled by digest, and the upstream's {@code Docker-Content-Digest}); then its blobs (mounted from another
 * repository of the registry when one has them, else downloaded) and, for an index, every child with its blobs, as
 * ECR caches an index and all its children; the manifest is stored last, through the decorated service's push path,
 * so a stored manifest is only ever visible with everything it references.
 *
 * <p>The first pull streams: the verified manifest is answered at once (and served from memory to other pulls
 * meanwhile) while a background fill downloads its blobs; a client asking for a blob meanwhile reads it as it
 * arrives ({@link InFlightBlob}), and every pull of one blob shares one download ({@link BlobFetches}). A tag that
 * moved upstream is refreshed the same way: its new manifest answered at once, its blobs streamed while stored; the
 * cached tag moves when everything is stored (until then, and if the fill fails, it names the old image).
 *
 * <p>When the upstream fails, a cached copy is served if there is one; otherwise the pull gets
 * UnableToGetUpstreamImage (a manifest) or UnableToGetUpstreamLayer (a blob), with the upstream's reason.
 */
final class UpstreamFetch {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamFetch.class);

    private final PullThrough node;
    private final RegistryId registryId;
    private final RegistryService store;
    private final PullThroughRule rule;
    private final CreateGuard createGuard;
    private final CreateGuard importGuard;
    private final String actor;
    private UpstreamClient.Upstream upstream; // looked up on first use: a pull served locally reads no secret

    UpstreamFetch(PullThrough node, RegistryId registryId, RegistryService store, PullThroughRule rule,
                  CreateGuard createGuard, CreateGuard importGuard, String actor) {
        this.node = node;
        this.registryId = registryId;
        this.store = store;
        this.rule = rule;
        this.createGuard = createGuard;
        this.importGuard = importGuard;
        this.actor = actor;
    }

    /** The upstream with the login of the rule's secret; an upstream failure when the secret cannot be used. */
    private UpstreamClient.Upstream upstream() throws IOException {
        if (upstream == null) {
            upstream = node.upstream(registryId, rule);
        }
        return upstream;
    }

    /** The manifest of {@code reference}, from {@code local} when fresh, else fetched (or refreshed) upstream. */
    StoredManifest manifest(RepositoryName repo, Reference reference, StoredManifest local) {
        String tag = reference instanceof Reference.ByTag t ? t.tag().value() : null;
        if (local != null && fresh(repo, tag)) {
            return local;
        }
        try {
            importGuard.beforeCreate(repo);
        } catch (RegistryException denied) {
            if (local != null) {
                return local; // may pull what is cached, not refresh it
            }
            throw denied;
        }
        String upRepo = PullThroughRules.upstreamRepository(rule, repo);
        synchronized (node.lock(registryId, repo, reference.toString())) {
            if (local != null && fresh(repo, tag)) {
                return local; // another pull refreshed it meanwhile
            }
            String pendingKey = key(repo, reference.toString());
            if (local == null) {
                Optional<StoredManifest> arrived = localCopy(repo, reference);
                if (arrived.isPresent()) {
                    return arrived.get(); // another pull fetched it meanwhile
                }
            }
            StoredManifest filling = node.pending.get(pendingKey);
            if (filling != null) {
                return filling; // another pull fetched it (first or moved), and its blobs are on their way
            }
            try {
                if (local != null) {
                    Optional<Optional<Digest>> head = node.client.headManifest(upstream(), upRepo, tag);
                    if (head.isEmpty() || head.get().filter(local.digest()::equals).isPresent()) {
                        // unchanged, or gone upstream: the cached copy stays what this tag serves
                        markChecked(repo, tag);
                        return local;
                    }
                }
                Optional<UpstreamClient.Manifest> m = node.client.manifest(upstream(), upRepo, reference.toString());
                if (m.isEmpty()) {
                    if (local != null) {
                        markChecked(repo, tag);
                        return local;
                    }
                    throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest " + reference + " is not in "
                            + "the upstream repository " + upRepo + " of " + rule.upstreamRegistryUrl(),
                            Map.of(reference instanceof Reference.ByTag ? "tag" : "digest", reference.toString()));
                }
                Digest digest = verified(m.get(), reference, upRepo);
                ensureRepository(repo);
                // a first pull and a tag moved upstream alike: answered now, its blobs streamed as they are stored
                return answerThenFill(repo, upRepo, reference, m.get(), digest, pendingKey);
            } catch (RegistryException e) {
                if (local != null && (e.code() == ErrorCode.UPSTREAM_LAYER_UNAVAILABLE
                        || e.code() == ErrorCode.UPSTREAM_IMAGE_UNAVAILABLE)) {
                    LOG.warn("pull-through: refresh of {}:{} failed, serving the cached copy: {}", repo, reference,
                            e.getMessage());
                    return local;
                }
                throw e;
            } catch (IOException e) {
                if (local != null) {
                    LOG.warn("pull-through: {} unreachable for {}:{}, serving the cached copy: {}",
                            rule.upstreamRegistryUrl(), repo, reference, e.getMessage());
                    return local;
                }
                throw new RegistryException(ErrorCode.UPSTREAM_IMAGE_UNAVAILABLE, "could not get " + upRepo + ":"
                        + reference + " from the upstream registry " + rule.upstreamRegistryUrl() + ": "
                        + e.getMessage());
            }
        }
    }

    /**
     * A blob the repository does not have: the download in progress (the manifest's fill, or another pull's), or
     * one started now. Its size is known as soon as the upstream answers, so the client reads it as it arrives
     * ({@link PullThroughRegistryService#openBlob}); an upstream that names no length is waited for.
     */
    BlobStat blob(RepositoryName repo, Digest digest) {
        importGuard.beforeCreate(repo);
        String upRepo = PullThroughRules.upstreamRepository(rule, repo);
        try {
            return store.statBlob(repo, digest);
        } catch (RegistryException e) {
            if (e.code() != ErrorCode.BLOB_UNKNOWN && e.code() != ErrorCode.NAME_UNKNOWN) {
                throw e;
            }
        }
        ensureRepository(repo);
        try {
            InFlightBlob f = download(repo, upRepo, digest, -1);
            long length = f.awaitLength();
            if (length < 0) {
                f.awaitStored();
                return store.statBlob(repo, digest);
            }
            return new BlobStat(digest, length);
        } catch (IOException e) {
            throw layerUnavailable(digest, upRepo, e);
        }
    }

    /** The download of {@code digest} into {@code repo}: the one in progress, or one started now. */
    private InFlightBlob download(RepositoryName repo, String upRepo, Digest digest, long size) throws IOException {
        return node.blobs.fetch(blobKey(node, registryId, repo, digest), digest, size,
                () -> node.client.blob(upstream(), upRepo, digest), (spool, length) -> {
                    try (var in = java.nio.file.Files.newInputStream(spool)) {
                        store.uploadMonolithic(repo, digest, in, length); // checks the digest once more
                    }
                });
    }

    /**
     * Beyond ECR: asks the upstream for {@code subject}'s referrers (at most once per refresh interval, keyed by a
     * name no tag can have) and stores those missing here by digest, each after its blobs. Upstream failures leave
     * what is cached; the caller serves the local referrers either way.
     */
    void refreshReferrers(RepositoryName repo, Digest subject) {
        String checkKey = "@referrers:" + subject;
        if (fresh(repo, checkKey)) {
            return;
        }
        String upRepo = PullThroughRules.upstreamRepository(rule, repo);
        synchronized (node.lock(registryId, repo, checkKey)) {
            if (fresh(repo, checkKey)) {
                return;
            }
            try {
                importGuard.beforeCreate(repo);
                int stored = 0;
                for (Digest referrer : node.client.referrers(upstream(), upRepo, subject)) {
                    Reference byDigest = new Reference.ByDigest(referrer);
                    if (localCopy(repo, byDigest).isPresent()) {
                        continue;
                    }
                    Optional<UpstreamClient.Manifest> m = node.client.manifest(upstream(), upRepo, referrer.toString());
                    if (m.isEmpty()) {
                        continue; // listed but gone: nothing to store
                    }
                    verified(m.get(), byDigest, upRepo);
                    storeReferenced(repo, upRepo, m.get(), 0);
                    store.putManifest(repo, byDigest, m.get().mediaType(), m.get().body());
                    stored++;
                }
                markChecked(repo, checkKey);
                if (stored > 0) {
                    LOG.info("pull-through: cached {} referrers of {}@{} from {}/{}", stored, repo, subject,
                            rule.upstreamRegistryUrl(), upRepo);
                }
            } catch (IOException | RegistryException e) {
                LOG.warn("pull-through: referrers of {}@{} not refreshed from {}: {}", repo, subject,
                        rule.upstreamRegistryUrl(), e.getMessage());
            }
        }
    }

    /** The key of a blob download in {@link BlobFetches}. */
    static String blobKey(PullThrough node, RegistryId registryId, RepositoryName repo, Digest digest) {
        return registryId + "/" + repo + "@" + digest;
    }

    private String key(RepositoryName repo, String reference) {
        return key(registryId, repo, reference);
    }

    /** The key of a first-pulled manifest in {@link PullThrough#pending}. */
    static String key(RegistryId registryId, RepositoryName repo, String reference) {
        return registryId + "/" + repo + ":" + reference;
    }

    /**
     * The first pull's answer: the verified manifest, served now (and to other pulls meanwhile) while a background
     * fill stores its blobs (and an index's children), then the manifest itself.
     */
    private StoredManifest answerThenFill(RepositoryName repo, String upRepo, Reference reference,
                                          UpstreamClient.Manifest m, Digest digest, String pendingKey)
            throws IOException {
        ParsedManifest parsed = parse(m);
        StoredManifest answer = new StoredManifest(digest, parsed.mediaType(), m.body(), parsed.subject());
        node.pending.put(pendingKey, answer);
        String tag = reference instanceof Reference.ByTag t ? t.tag().value() : null;
        node.blobs.background(() -> {
            try {
                storeReferenced(repo, upRepo, m, 0);
                store.putManifest(repo, reference, m.mediaType(), m.body());
                markChecked(repo, tag);
                LOG.info("pull-through: cached {}:{} ({}) from {}/{}", repo, reference, digest,
                        rule.upstreamRegistryUrl(), upRepo);
            } catch (IOException | RuntimeException e) {
                LOG.warn("pull-through: {}:{} not cached: {}", repo, reference, e.getMessage());
            } finally {
                node.pending.remove(pendingKey, answer);
            }
        });
        return answer;
    }

    private static RegistryException layerUnavailable(Digest digest, String upRepo, IOException e) {
        return new RegistryException(ErrorCode.UPSTREAM_LAYER_UNAVAILABLE, "could not get blob " + digest + " of "
                + upRepo + " from the upstream registry: " + e.getMessage());
    }

    private boolean fresh(RepositoryName repo, String tag) {
        if (tag == null) {
            return true;
        }
        Optional<Instant> checked = node.metadata.read(tx -> tx.pullThroughRules().tagChecked(registryId,
                repo.value(), tag));
        return checked.isPresent() && checked.get().plus(node.refreshInterval).isAfter(node.clock.instant());
    }

    private void markChecked(RepositoryName repo, String tag) {
        if (tag != null) {
            node.metadata.write(tx -> {
                tx.pullThroughRules().markTagChecked(registryId, repo.value(), tag, node.clock.instant());
                return null;
            });
        }
    }

    private Optional<StoredManifest> localCopy(RepositoryName repo, Reference reference) {
        try {
            return Optional.of(store.getManifest(repo, reference));
        } catch (RegistryException e) {
            if (e.code() == ErrorCode.MANIFEST_UNKNOWN || e.code() == ErrorCode.NAME_UNKNOWN) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The digest the bytes hash to, refusing bytes that are not what the reference or the upstream named. */
    private Digest verified(UpstreamClient.Manifest m, Reference reference, String upRepo) throws IOException {
        Digest want = reference instanceof Reference.ByDigest d ? d.digest() : m.digest();
        Digest got = Digest.compute(want == null ? Digest.Algorithm.SHA256 : want.algorithm(), m.body());
        if (want != null && !want.equals(got)) {
            throw new UpstreamClient.UpstreamException("the upstream sent a manifest for " + upRepo + ":" + reference
                    + " that hashes to " + got + ", not to " + want + "; nothing was stored", 200);
        }
        return got;
    }

    private void ensureRepository(RepositoryName repo) {
        boolean exists = node.metadata.read(tx -> tx.repositories().get(registryId, repo)).isPresent();
        if (!exists) {
            TemplatedCreation creation = node.services.creation(registryId, actor);
            creation.create(repo, creation.templateFor(repo, PullThrough.APPLIED_FOR), createGuard);
        }
    }

    /** The blobs of an image, or the children (with theirs) of an index, so the manifest can be stored after them. */
    private void storeReferenced(RepositoryName repo, String upRepo, UpstreamClient.Manifest m, int depth)
            throws IOException {
        ParsedManifest parsed = parse(m);
        Map<Digest, Long> sizes = declaredSizes(m.body());
        java.util.List<InFlightBlob> downloads = new java.util.ArrayList<>();
        for (Digest blob : parsed.blobs()) {
            try {
                store.statBlob(repo, blob);
            } catch (RegistryException e) {
                if (e.code() != ErrorCode.BLOB_UNKNOWN) {
                    throw e;
                }
                if (store.mount(repo, blob, Optional.empty()).isEmpty()) {
                    downloads.add(download(repo, upRepo, blob, sizes.getOrDefault(blob, -1L))); // all at once
                }
            }
        }
        for (InFlightBlob d : downloads) {
            try {
                d.awaitStored();
            } catch (IOException e) {
                throw new RegistryException(ErrorCode.UPSTREAM_LAYER_UNAVAILABLE, "the upstream registry "
                        + rule.upstreamRegistryUrl() + " could not give blob " + d.digest + " of " + upRepo + ": "
                        + e.getMessage());
            }
        }
        for (Descriptor child : parsed.children()) {
            Reference byDigest = new Reference.ByDigest(child.digest());
            if (depth > 0 || localCopy(repo, byDigest).isPresent()) {
                continue; // an index of indexes is not followed further; a child already here needs nothing
            }
            UpstreamClient.Manifest c = node.client.manifest(upstream(), upRepo, child.digest().toString())
                    .orElseThrow(() -> new UpstreamClient.UpstreamException("the upstream index of " + upRepo
                            + " lists " + child.digest() + ", which the upstream does not have", 404));
            verified(c, byDigest, upRepo);
            storeReferenced(repo, upRepo, c, depth + 1);
            store.putManifest(repo, byDigest, c.mediaType(), c.body());
        }
    }

    private static ParsedManifest parse(UpstreamClient.Manifest m) throws IOException {
        try {
            return ManifestParser.parse(m.mediaType(), m.body());
        } catch (RegistryException e) {
            throw new UpstreamClient.UpstreamException("the upstream sent an invalid manifest: " + e.getMessage(),
                    200);
        }
    }

    /** The sizes an image manifest declares for its config and layers (what a blob must be, byte for byte). */
    private static Map<Digest, Long> declaredSizes(byte[] manifest) {
        Map<Digest, Long> sizes = new java.util.HashMap<>();
        try {
            com.fasterxml.jackson.databind.JsonNode root = SIZES.readTree(manifest);
            java.util.List<com.fasterxml.jackson.databind.JsonNode> descriptors = new java.util.ArrayList<>();
            descriptors.add(root.path("config"));
            root.path("layers").forEach(descriptors::add);
            for (var d : descriptors) {
                if (d.path("digest").isTextual() && d.path("size").canConvertToLong()
                        && Digest.looksLikeDigest(d.path("digest").asText())) {
                    sizes.put(Digest.parse(d.path("digest").asText()), d.path("size").asLong());
                }
            }
        } catch (IOException | RuntimeException e) {
            // parsed already: a size that cannot be read is taken from the upstream's Content-Length
        }
        return sizes;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper SIZES =
            new com.fasterxml.jackson.databind.ObjectMapper();
}
