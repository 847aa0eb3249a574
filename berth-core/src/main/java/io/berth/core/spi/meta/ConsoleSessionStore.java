package io.berth.core.spi.meta;

import io.berth.core.model.RegistryId;
import java.time.Instant;
import java.util.Optional;

/**
 * The web console's signed-in sessions, shared by every node over the database so that a load balancer may send a
 * session's requests anywhere. A row is keyed by a hash of the session ID (the cookie), never the ID itself.
 */
public interface ConsoleSessionStore {

    /**
     * One session: who signed in ({@code kind} is ROOT or USER; {@code accessKeyId} null after a password sign-in),
     * when, and its last request (moved at most once a minute, so a request rarely writes).
     */
    record SessionRecord(String idHash, String kind, RegistryId account, String userName, String accessKeyId,
                         Instant createdAt, Instant lastSeenAt) {}

    void create(SessionRecord session);

    Optional<SessionRecord> get(String idHash);

    /** False when the session is gone (signed out elsewhere, or expired and deleted). */
    boolean touch(String idHash, Instant lastSeenAt);

    /** False when there was no such session. */
    boolean delete(String idHash);

    /** Deletes the sessions idle since before {@code idleBefore} or made before {@code createdBefore}. */
    int deleteExpired(Instant idleBefore, Instant createdBefore);

    long count();
}
