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
 * so a manifest is only ever visible with everything it references. The first pull therefore waits for the whole
 * image (store, then serve); later pulls are local.
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
            if (local == null) {
                Optional<StoredManifest> arrived = localCopy(repo, reference);
                if (arrived.isPresent()) {
                    return arrived.get(); // another pull fetched it meanwhile
                }
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
                storeReferenced(repo, upRepo, m.get(), 0);
                store.putManifest(repo, reference, m.get().mediaType(), m.get().body());
                markChecked(repo, tag);
                LOG.info("pull-through: cached {}:{} ({}) from {}/{}", repo, reference, digest,
                        rule.upstreamRegistryUrl(), upRepo);
                return store.getManifest(repo, reference);
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

    /** A blob the repository does not have, fetched upstream (store, then serve). */
    BlobStat blob(RepositoryName repo, Digest digest) {
        importGuard.beforeCreate(repo);
        String upRepo = PullThroughRules.upstreamRepository(rule, repo);
        synchronized (node.lock(registryId, repo, digest.toString())) {
            try {
                return store.statBlob(repo, digest);
            } catch (RegistryException e) {
                if (e.code() != ErrorCode.BLOB_UNKNOWN && e.code() != ErrorCode.NAME_UNKNOWN) {
                    throw e;
                }
            }
            ensureRepository(repo);
            return storeBlob(repo, upRepo, digest);
        }
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
        ParsedManifest parsed;
        try {
            parsed = ManifestParser.parse(m.mediaType(), m.body());
        } catch (RegistryException e) {
            throw new UpstreamClient.UpstreamException("the upstream sent an invalid manifest: " + e.getMessage(),
                    200);
        }
        for (Digest blob : parsed.blobs()) {
            try {
                store.statBlob(repo, blob);
            } catch (RegistryException e) {
                if (e.code() != ErrorCode.BLOB_UNKNOWN) {
                    throw e;
                }
                if (store.mount(repo, blob, Optional.empty()).isEmpty()) {
                    storeBlob(repo, upRepo, blob);
                }
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

    private BlobStat storeBlob(RepositoryName repo, String upRepo, Digest digest) {
        try {
            Optional<UpstreamClient.Blob> b = node.client.blob(upstream(), upRepo, digest);
            if (b.isEmpty()) {
                throw new RegistryException(ErrorCode.UPSTREAM_LAYER_UNAVAILABLE, "the upstream registry "
                        + rule.upstreamRegistryUrl() + " has no blob " + digest + " in " + upRepo);
            }
            try (UpstreamClient.Blob blob = b.get()) {
                // the push path verifies the digest (and the length the upstream declared): a blob that does not
                // match is not stored
                return store.uploadMonolithic(repo, digest, blob.body(), blob.length());
            }
        } catch (IOException e) {
            throw new RegistryException(ErrorCode.UPSTREAM_LAYER_UNAVAILABLE, "could not get blob " + digest + " of "
                    + upRepo + " from the upstream registry " + rule.upstreamRegistryUrl() + ": " + e.getMessage());
        } catch (RegistryException e) {
            if (e.code() == ErrorCode.UPSTREAM_LAYER_UNAVAILABLE) {
                throw e;
            }
            throw new RegistryException(ErrorCode.UPSTREAM_LAYER_UNAVAILABLE, "the upstream registry "
                    + rule.upstreamRegistryUrl() + " sent blob " + digest + " of " + upRepo + " that could not be "
                    + "stored (" + e.code() + ": " + e.getMessage() + "); nothing was stored");
        }
    }
}
