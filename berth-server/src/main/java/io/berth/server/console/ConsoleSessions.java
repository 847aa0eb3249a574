package io.berth.server.console;

import io.berth.core.auth.Principal;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Console sessions, in memory: a random 256-bit ID (the cookie) names the signed-in principal and the session's own
 * CSRF token. Every sign-in makes a new ID, so an ID planted before sign-in never becomes a signed-in session
 * (no fixation). Sessions end at sign-out, after {@link #IDLE} without a request or {@link #MAX_AGE} in all; a
 * restart signs everyone out, which is the price of keeping no session state in the database.
 */
public final class ConsoleSessions {
    static final Duration IDLE = Duration.ofMinutes(30);
    static final Duration MAX_AGE = Duration.ofHours(8);
    /** Bounds memory under a flood of sign-ins; the oldest-idle sessions go first. */
    static final int MAX_SESSIONS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A signed-in session. {@code lastSeen} moves with every request. */
    public static final class Session {
        private final String id;
        private final Principal principal;
        private final String csrf;
        private final Instant created;
        private volatile Instant lastSeen;

        Session(String id, Principal principal, String csrf, Instant created) {
            this.id = id;
            this.principal = principal;
            this.csrf = csrf;
            this.created = created;
            this.lastSeen = created;
        }

        public String id() { return id; }
        public Principal principal() { return principal; }
        public String csrf() { return csrf; }

        /** Constant-time comparison, so the token cannot be guessed byte by byte from timings. */
        public boolean csrfMatches(String presented) {
            return presented != null && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8),
                    presented.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;

    public ConsoleSessions(Clock clock) {
        this.clock = clock;
    }

    /** A new session for {@code principal} with fresh ID and CSRF token. */
    public Session start(Principal principal) {
        Instant now = clock.instant();
        if (sessions.size() >= MAX_SESSIONS) {
            evictExpired(now);
            if (sessions.size() >= MAX_SESSIONS) {
                sessions.values().stream().min(java.util.Comparator.comparing(s -> s.lastSeen))
                        .ifPresent(s -> sessions.remove(s.id));
            }
        }
        Session s = new Session(randomToken(), principal, randomToken(), now);
        sessions.put(s.id, s);
        return s;
    }

    /** The live session named by {@code id}; an expired one is removed. */
    public Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(s, now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        s.lastSeen = now;
        return Optional.of(s);
    }

    public void end(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    int size() { return sessions.size(); }

    private void evictExpired(Instant now) {
        for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
            if (expired(it.next(), now)) {
                it.remove();
            }
        }
    }

    private static boolean expired(Session s, Instant now) {
        return now.isAfter(s.lastSeen.plus(IDLE)) || now.isAfter(s.created.plus(MAX_AGE));
    }

    /** 256 random bits, URL-safe base64 without padding. */
    static String randomToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
