package io.berth.server.access;

import io.berth.core.auth.Principal;
import io.berth.core.model.RegistryId;
import io.berth.core.policy.PolicyDocument;
import io.berth.core.policy.PolicyParser;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.PolicyStore;
import io.berth.core.spi.meta.PolicyStore.Kind;
import io.berth.core.spi.meta.PolicyStore.PolicyKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Parsed policies, loaded on first use and kept until a policy changes. Decisions then cost map lookups, never a
 * parse, and with no policies in an account no database read at all.
 *
 * <p>Invalidation: a change made on this node drops the cache at once ({@link #invalidate()}). A change made on
 * another node (or by {@code berth admin}) bumps the store's generation counter; the first lookup after
 * {@link #POLL} has passed reads that one row and drops the cache when it moved. Staleness across nodes is therefore
 * bounded by {@code POLL} plus one request.
 *
 * <p>Bounded: each map is cleared when it reaches {@link #MAX_ENTRIES} (and reloads what is used). Keys are only
 * accounts that exist ({@link AccessControl} checks before asking), repositories that have a policy and
 * authenticated users, so the bound is a backstop, not the working size.
 *
 * <p>Stored documents were validated when written; one that no longer parses (a stricter parser after an upgrade)
 * fails the request with the parser's exception rather than being skipped, because skipping a Deny would grant.
 */
public final class PolicyCache {
    /** Half a second, so a policy change on another node governs this one within a second (issue 11 §2). */
    public static final Duration POLL = Duration.ofMillis(500);
    static final int MAX_ENTRIES = 10_000;

    /** One account's resource side: the registry policy, its scope and which repositories have a policy. */
    public record AccountView(Optional<PolicyDocument> registryPolicy, boolean scopeV1, Set<String> policyRepositories) {
        public boolean hasResourcePolicies() {
            return registryPolicy.isPresent() || !policyRepositories.isEmpty();
        }
    }

    private final MetadataStore store;
    private final LongSupplier nanoTime;
    private final long pollNanos;
    private final AtomicBoolean polling = new AtomicBoolean();
    private volatile long checkedAt;
    private volatile long generation = Long.MIN_VALUE;
    /** Bumped by every invalidation; a load that raced one is not cached. */
    private volatile long epoch;
    private final ConcurrentHashMap<RegistryId, AccountView> accounts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Optional<PolicyDocument>> repositories = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, List<PolicyDocument>> users = new ConcurrentHashMap<>();

    public PolicyCache(MetadataStore store) {
        this(store, System::nanoTime, POLL);
    }

    PolicyCache(MetadataStore store, LongSupplier nanoTime, Duration poll) {
        this.store = store;
        this.nanoTime = nanoTime;
        this.pollNanos = poll.toNanos();
        this.checkedAt = nanoTime.getAsLong() - pollNanos - 1;
    }

    /** Drops everything; the next lookups reload from the store. */
    public void invalidate() {
        epoch++;
        accounts.clear();
        repositories.clear();
        users.clear();
    }

    public AccountView account(RegistryId account) {
        poll();
        AccountView v = accounts.get(account);
        if (v == null) {
            long e = epoch;
            v = store.read(tx -> loadAccount(tx.policies(), account));
            if (e == epoch) {
                putBounded(accounts, account, v);
            }
        }
        return v;
    }

    /** The repository's policy; a database read only for repositories the account view lists. */
    public Optional<PolicyDocument> repositoryPolicy(RegistryId account, String repository) {
        if (!account(account).policyRepositories().contains(repository)) {
            return Optional.empty();
        }
        String key = account.key() + "/" + repository; // the registry: the same name in two regions is two
        Optional<PolicyDocument> doc = repositories.get(key);
        if (doc == null) {
            long e = epoch;
            doc = store.read(tx -> tx.policies().get(PolicyKey.repository(account, repository)))
                    .map(PolicyParser.repository()::parse);
            if (e == epoch) {
                putBounded(repositories, key, doc);
            }
        }
        return doc;
    }

    /** The user's inline policies and attached managed policies of its account; empty for root and anonymous. */
    public List<PolicyDocument> identityPolicies(Principal principal) {
        if (principal.kind() != Principal.Kind.USER) {
            return List.of();
        }
        poll();
        String key = principal.account().value() + "/" + principal.userName();
        List<PolicyDocument> docs = users.get(key);
        if (docs == null) {
            long e = epoch;
            docs = store.read(tx -> loadUser(tx.policies(), principal.account(), principal.userName()));
            if (e == epoch) {
                putBounded(users, key, docs);
            }
        }
        return docs;
    }

    /** Entries held now, all maps together (for tests: must not grow with IDs that do not exist). */
    public int size() {
        return accounts.size() + repositories.size() + users.size();
    }

    private static <K, V> void putBounded(ConcurrentHashMap<K, V> map, K key, V value) {
        if (map.size() >= MAX_ENTRIES) {
            map.clear(); // rare and cheap: what is in use is reloaded on its next lookup
        }
        map.putIfAbsent(key, value);
    }

    private static AccountView loadAccount(PolicyStore s, RegistryId account) {
        Optional<PolicyDocument> registry = s.get(PolicyKey.registry(account)).map(PolicyParser.registry()::parse);
        boolean v1 = s.setting(account, Policies.REGISTRY_POLICY_SCOPE).map("V1"::equals).orElse(false);
        Set<String> repos = new HashSet<>();
        for (PolicyKey k : s.list(account, Kind.REPOSITORY, null)) {
            repos.add(k.owner());
        }
        return new AccountView(registry, v1, Set.copyOf(repos));
    }

    private static List<PolicyDocument> loadUser(PolicyStore s, RegistryId account, String user) {
        List<PolicyDocument> out = new ArrayList<>();
        PolicyParser parser = PolicyParser.identity();
        for (PolicyKey k : s.list(account, Kind.USER_INLINE, user)) {
            s.get(k).map(parser::parse).ifPresent(out::add);
        }
        for (String arn : s.attached(account, user)) {
            // a managed policy deleted after attachment grants nothing, as in IAM (it cannot be deleted attached)
            Policies.managedPolicyName(account, arn)
                    .flatMap(name -> s.get(PolicyKey.managed(account, name)))
                    .map(parser::parse).ifPresent(out::add);
        }
        return List.copyOf(out);
    }

    /** Reads the generation at most once per {@link #POLL}; one thread does it while the others go on. */
    private void poll() {
        long now = nanoTime.getAsLong();
        if (now - checkedAt < pollNanos || !polling.compareAndSet(false, true)) {
            return;
        }
        try {
            long g = store.read(tx -> tx.policies().generation());
            if (g != generation) {
                invalidate();
                generation = g;
            }
            checkedAt = now;
        } finally {
            polling.set(false);
        }
    }
}
