package io.berth.core.pullthrough;

import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.CreateGuard;
import io.berth.core.service.RegistryService;
import io.berth.core.service.RegistryServices;
import io.berth.core.spi.meta.MetadataStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/**
 * The pull-through cache of this node: the rules of every registry, and the data plane decorator that fills cache
 * repositories from their upstream (as CNCF distribution's proxy decorates its BlobStore). One per node; its locks
 * make concurrent first pulls of one image on this node fetch it once.
 */
public final class PullThrough {
    /** The creation templates' {@code appliedFor} for repositories a pull-through cache creates. */
    public static final String APPLIED_FOR = "PULL_THROUGH_CACHE";
    /** The spool directory's name under the data directory. */
    public static final String SPOOL_DIRECTORY = "pull-through-spool";

    final RegistryServices services;
    final MetadataStore metadata;
    final Clock clock;
    final Duration refreshInterval;
    final UpstreamClient client;
    final UpstreamCredentials credentials;
    /** The blobs being fetched upstream, shared by every pull of each. */
    final BlobFetches blobs;
    /** First-pulled manifests whose blobs are still being stored, by registry, repository and reference. */
    final java.util.concurrent.ConcurrentHashMap<String, RegistryService.StoredManifest> pending =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Striped, so the monitors are bounded: two images that share a stripe merely fetch one after the other. */
    private final Object[] stripes = new Object[256];

    /**
     * @param refreshInterval a cached tag is re-checked upstream at most once per this ({@code ZERO}: every pull)
     * @param credentials     where rules' {@code credentialArn}s are looked up (the Secrets Manager secrets)
     * @param spoolDirectory  where blobs on their way from an upstream are spooled: under the data directory, so on
     *                        the same disk and with the same permissions as the data they become
     */
    public PullThrough(RegistryServices services, MetadataStore metadata, Clock clock, Duration refreshInterval,
                       UpstreamClient client, UpstreamCredentials credentials, java.nio.file.Path spoolDirectory) {
        this.blobs = new BlobFetches(spoolDirectory);
        this.credentials = credentials;
        this.services = services;
        this.metadata = metadata;
        this.clock = clock;
        this.refreshInterval = refreshInterval;
        this.client = client;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    /** Removes the spools a killed process left (not written for an hour); returns how many. */
    public int removeAbandonedSpools() {
        return blobs.removeAbandoned(java.time.Instant.now()); // file times are the wall clock's
    }

    public PullThroughRules rules(RegistryId registryId) {
        return new PullThroughRules(metadata, registryId, clock, () -> ruleCache.remove(registryId));
    }

    /** How long another node's rule changes may go unseen by this node's pulls. */
    static final Duration RULE_CACHE_TTL = Duration.ofSeconds(10);

    private record CachedRules(java.util.List<PullThroughRule> rules, java.time.Instant loaded) {}

    /**
     * Every pull by tag asks which rule its repository falls under, so the rules of each registry (at most
     * {@link PullThroughRules#MAX_RULES}) are kept in memory: changes through this node drop them at once, other
     * nodes' changes show within {@link #RULE_CACHE_TTL}.
     */
    private final java.util.concurrent.ConcurrentHashMap<RegistryId, CachedRules> ruleCache =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** The rule {@code name} falls under (see {@link PullThroughRules#match}), from the cached rules. */
    java.util.Optional<PullThroughRule> match(RegistryId registryId, RepositoryName name) {
        CachedRules c = ruleCache.get(registryId);
        if (c == null || c.loaded().plus(RULE_CACHE_TTL).isBefore(clock.instant())) {
            c = new CachedRules(rules(registryId).list(null, PullThroughRules.MAX_RULES + 1), clock.instant());
            ruleCache.put(registryId, c);
        }
        return PullThroughRules.match(c.rules(), name);
    }

    /**
     * {@code base} (one registry's data plane) with its cache repositories filled from upstream. Creations ask
     * {@code createGuard}, upstream fetches ask {@code importGuard}; {@code actor} is whom creation events name.
     */
    public RegistryService decorate(RegistryId registryId, RegistryService base, CreateGuard createGuard,
                                    CreateGuard importGuard, String actor) {
        return new PullThroughRegistryService(this, registryId, base, createGuard, importGuard, actor);
    }

    /** {@link #decorate} for callers that checked access already (or run without it). */
    public RegistryService decorate(RegistryId registryId, RegistryService base) {
        return decorate(registryId, base, CreateGuard.ANYONE, CreateGuard.ANYONE,
                io.berth.core.event.EventRecorder.ANONYMOUS);
    }

    /**
     * {@code berth admin cache refresh}: makes the next pull of {@code repo:tag} re-check it upstream whatever the
     * refresh interval (a HEAD, and a fetch when it moved). The serving node does the fetch, through its own
     * caches, so the tag it serves next is the refreshed one (a fetch from the admin process would leave a running
     * server's tag cache behind). The time the tag was last checked, or empty when it was never cached.
     */
    public java.util.Optional<java.time.Instant> expire(RegistryId registryId, RepositoryName repo,
                                                        io.berth.core.model.Tag tag) {
        if (!covers(registryId, repo)) {
            throw new io.berth.core.error.RegistryException(io.berth.core.error.ErrorCode.INVALID_PARAMETER,
                    "no pull through cache rule of the registry " + registryId + " covers the repository " + repo);
        }
        return metadata.write(tx -> {
            var checked = tx.pullThroughRules().tagChecked(registryId, repo.value(), tag.value());
            if (checked.isPresent()) {
                tx.pullThroughRules().markTagChecked(registryId, repo.value(), tag.value(), java.time.Instant.EPOCH);
            }
            return checked;
        });
    }

    /** True when {@code repo} falls under one of the registry's rules (its pulls may go upstream). */
    public boolean covers(RegistryId registryId, RepositoryName repo) {
        return match(registryId, repo).isPresent();
    }

    /** ValidatePullThroughCacheRule's answer: {@code failure} is null when valid. */
    public record Validation(boolean valid, String failure) {}

    /**
     * SecretNotFound unless {@code credentialArn} (when given) names a live secret of the registry's account, as ECR
     * checks a rule's credential when it is created or updated.
     */
    public void requireSecret(RegistryId registryId, String credentialArn) {
        if (credentialArn != null && credentials.secretString(registryId, credentialArn).isEmpty()) {
            throw new io.berth.core.error.RegistryException(io.berth.core.error.ErrorCode.SECRET_NOT_FOUND,
                    "The ARN of the secret specified in the pull through cache rule was not found: no secret "
                    + credentialArn + " with a value in the account " + registryId + ". Create it with aws "
                    + "secretsmanager create-secret, then try again.");
        }
    }

    /** The rule's upstream with its login from the secret it names (see {@link UpstreamCredentials#of}). */
    UpstreamClient.Upstream upstream(RegistryId registryId, PullThroughRule rule) throws IOException {
        return UpstreamClient.Upstream.of(rule.upstreamRegistryUrl(), credentials.of(registryId, rule));
    }

    /**
     * Really logs in to the rule's upstream (the {@code /v2/} check, with the token flow when challenged), with the
     * credentials of the rule's secret.
     */
    public Validation validate(RegistryId registryId, PullThroughRule rule) {
        try {
            String probe = PullThroughRules.upstreamRepository(rule, RepositoryName.of(
                    (rule.prefix().equals(PullThroughRules.ROOT) ? "" : rule.prefix() + "/") + "library/probe"));
            client.check(upstream(registryId, rule), probe);
            return new Validation(true, null);
        } catch (IOException e) {
            return new Validation(false, e.getMessage());
        }
    }

    /** The monitor first pulls of one image on this node share. */
    Object lock(RegistryId registryId, RepositoryName repo, String reference) {
        int h = (registryId + "/" + repo + "@" + reference).hashCode();
        return stripes[(h ^ (h >>> 16)) & (stripes.length - 1)];
    }
}
