package io.berth.core.service;

import io.berth.core.model.RegistryId;
import io.berth.core.spi.meta.IdentityStore.AccountRecord;
import io.berth.core.spi.meta.MetadataStore;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Which accounts exist, for the per-account caches: a request naming any other 12-digit ID (in its Host name, a
 * registryId, an ARN) must not make one. The set is read whole from the identity store and re-read on a miss, at
 * most once per {@link #REFRESH}, so a flood of unknown IDs costs one small query a second and a just-created account
 * is known within that second. Its size is the number of accounts, which only operators create
 * ({@code berth admin create-account}), never a request.
 */
public final class KnownAccounts {
    public static final Duration REFRESH = Duration.ofSeconds(1);

    private final MetadataStore store;
    private final LongSupplier nanoTime;
    private final long refreshNanos;
    private final AtomicBoolean loading = new AtomicBoolean();
    private volatile Set<RegistryId> pinned = Set.of();
    private volatile Set<RegistryId> known = Set.of();
    private volatile long loadedAt;

    public KnownAccounts(MetadataStore store) {
        this(store, System::nanoTime, REFRESH);
    }

    KnownAccounts(MetadataStore store, LongSupplier nanoTime, Duration refresh) {
        this.store = store;
        this.nanoTime = nanoTime;
        this.refreshNanos = refresh.toNanos();
        this.loadedAt = nanoTime.getAsLong() - refreshNanos - 1;
    }

    /**
     * Counts {@code account} as existing whether or not the store has it: the default account, which serves requests
     * even before (or, without authentication, without) any key of it is created.
     */
    public void pin(RegistryId account) {
        Set<RegistryId> p = new HashSet<>(pinned);
        p.add(account.account());
        pinned = Set.copyOf(p);
    }

    public boolean exists(RegistryId registry) {
        RegistryId account = registry.account(); // an account exists in every region the deployment serves
        if (known.contains(account) || pinned.contains(account)) {
            return true;
        }
        refreshIfDue();
        return known.contains(account);
    }

    /** One thread re-reads while the others answer from the set they have. */
    private void refreshIfDue() {
        long now = nanoTime.getAsLong();
        if (now - loadedAt < refreshNanos || !loading.compareAndSet(false, true)) {
            return;
        }
        try {
            Set<RegistryId> ids = new HashSet<>();
            for (AccountRecord a : store.read(tx -> tx.identities().listAccounts())) {
                ids.add(a.id());
            }
            known = Set.copyOf(ids);
            loadedAt = now;
        } finally {
            loading.set(false);
        }
    }
}
