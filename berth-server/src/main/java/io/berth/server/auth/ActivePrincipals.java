package io.berth.server.auth;

import io.berth.core.auth.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Whether the principal a registry token names may still act: its access key and user are active. A token is
 * self-contained and valid for 12 hours, so without this check a revoked user kept pulling until it expired. The
 * answer is remembered for {@link #TTL} per principal, so a pull does not cost a database read per blob; that bounds
 * how long a revocation takes to reach tokens (as the Basic key:secret cache bounds it for keys).
 */
public final class ActivePrincipals {
    /** Every token is accepted: for tests of the token format alone. */
    public static final ActivePrincipals ANY = new ActivePrincipals(p -> true, Clock.systemUTC());
    static final Duration TTL = Duration.ofSeconds(5);
    /** Bounded like the other credential caches: cleared wholesale when full, costing one read per principal. */
    private static final int MAX_ENTRIES = 4096;

    private record Answer(boolean active, Instant until) {}

    private final Predicate<Principal> lookup;
    private final Clock clock;
    private final ConcurrentHashMap<Principal, Answer> cache = new ConcurrentHashMap<>();

    public ActivePrincipals(Predicate<Principal> lookup, Clock clock) {
        this.lookup = lookup;
        this.clock = clock;
    }

    public static ActivePrincipals of(Identities identities, Clock clock) {
        return new ActivePrincipals(identities::isActive, clock);
    }

    public boolean isActive(Principal p) {
        if (this == ANY) {
            return true;
        }
        Instant now = clock.instant();
        Answer hit = cache.get(p);
        if (hit != null && now.isBefore(hit.until())) {
            return hit.active();
        }
        boolean active = lookup.test(p);
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        cache.put(p, new Answer(active, now.plus(TTL)));
        return active;
    }
}
