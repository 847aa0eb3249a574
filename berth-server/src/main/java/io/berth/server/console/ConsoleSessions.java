package io.berth.server.console;

import io.berth.core.auth.Principal;
import io.berth.core.model.RegistryId;
import io.berth.core.spi.meta.ConsoleSessionStore.SessionRecord;
import io.berth.core.spi.meta.IdentityStore;
import io.berth.core.spi.meta.IdentityStore.Status;
import io.berth.core.spi.meta.MetadataStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Console sessions, in the metadata database so that every node behind a load balancer honours every node's
 * cookie. A random 256-bit ID (the cookie) names the signed-in principal; the database keeps only its SHA-256, so
 * reading the table yields no cookie. The CSRF token is derived from the ID (a hash of it under another label), so
 * it needs no row of its own and tells nothing about the ID. Every sign-in makes a new ID, so an ID planted before
 * sign-in never becomes a signed-in session (no fixation). Sessions end at sign-out (the row is deleted), after
 * {@link #IDLE} without a request, after {@link #MAX_AGE} in all, or when the key or user is revoked.
 */
public final class ConsoleSessions {
    static final Duration IDLE = Duration.ofMinutes(30);
    static final Duration MAX_AGE = Duration.ofHours(8);
    /** The last request time is written at most this often, so most requests only read. */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A signed-in session. */
    public static final class Session {
        private final String id;
        private final Principal principal;
        private final String csrf;

        Session(String id, Principal principal) {
            this.id = id;
            this.principal = principal;
            this.csrf = digest("berth-console-csrf\0" + id);
        }

        public String id() { return id; }
        public Principal principal() { return principal; }
        public String csrf() { return csrf; }

        /** Constant-time comparison, so the token cannot be guessed byte by byte from timings. */
        public boolean csrfMatches(String presented) {
            return presented != null && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8),
                    presented.getBytes(StandardCharsets.UTF_8));
        }

        @Override public boolean equals(Object o) { return o instanceof Session s && s.id.equals(id); }
        @Override public int hashCode() { return id.hashCode(); }
        @Override public String toString() { return "Session[" + principal.arn() + "]"; } // never the ID
    }

    private final MetadataStore metadata;
    private final Clock clock;

    public ConsoleSessions(MetadataStore metadata, Clock clock) {
        this.metadata = metadata;
        this.clock = clock;
    }

    /** A new session for {@code principal} with a fresh ID; expired sessions are swept on the way. */
    public Session start(Principal principal) {
        Instant now = clock.instant();
        Session s = new Session(randomToken(), principal);
        metadata.write(tx -> {
            tx.consoleSessions().deleteExpired(now.minus(IDLE), now.minus(MAX_AGE));
            tx.consoleSessions().create(new SessionRecord(idHash(s.id), principal.kind().name(),
                    principal.account(), principal.userName(), principal.accessKeyId(), now, now));
            return null;
        });
        return s;
    }

    /** The live session named by {@code id}; an expired one, or one whose key or user was revoked, is deleted. */
    public Optional<Session> find(String id) {
        if (id == null || id.length() > 64) {
            return Optional.empty();
        }
        String hash = idHash(id);
        Instant now = clock.instant();
        record Found(SessionRecord row, boolean live) {}
        Optional<Found> found = metadata.read(tx -> tx.consoleSessions().get(hash)
                .map(r -> new Found(r, !expired(r, now) && stillActive(tx.identities(), r))));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (!found.get().live()) {
            metadata.write(tx -> tx.consoleSessions().delete(hash));
            return Optional.empty();
        }
        SessionRecord r = found.get().row();
        if (r.lastSeenAt().plus(TOUCH_EVERY).isBefore(now)) {
            metadata.writeUnsynced(tx -> tx.consoleSessions().touch(hash, now));
        }
        return Optional.of(new Session(id, principal(r)));
    }

    public void end(String id) {
        if (id != null) {
            metadata.write(tx -> tx.consoleSessions().delete(idHash(id)));
        }
    }

    long size() { return metadata.read(tx -> tx.consoleSessions().count()); }

    private static boolean expired(SessionRecord r, Instant now) {
        return now.isAfter(r.lastSeenAt().plus(IDLE)) || now.isAfter(r.createdAt().plus(MAX_AGE));
    }

    /** A revoked key or user ends its sessions at their next request, as it fails its next API call. */
    private static boolean stillActive(IdentityStore ids, SessionRecord r) {
        if (r.accessKeyId() != null && ids.getAccessKey(r.accessKeyId()).filter(k -> k.status() == Status.ACTIVE)
                .isEmpty()) {
            return false;
        }
        return r.userName() == null || ids.getUser(r.account(), r.userName()).filter(u -> u.status()
                == Status.ACTIVE).isPresent();
    }

    private static Principal principal(SessionRecord r) {
        RegistryId account = r.account();
        return r.userName() == null ? Principal.root(account, r.accessKeyId())
                : Principal.user(account, r.userName(), r.accessKeyId());
    }

    static String idHash(String id) { return digest("berth-console-session\0" + id); }

    private static String digest(String s) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** 256 random bits, URL-safe base64 without padding. */
    static String randomToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
