package io.berth.core.spi.meta;

import java.time.Instant;
import java.util.List;

/**
 * The event stream (see {@link RegistryEvent}) and its durable subscribers.
 *
 * <p>{@link #append} takes the stream's head row lock until the transaction ends, so positions are handed out in
 * commit order and a subscriber can never read past an event that commits later with a smaller position. Writers
 * therefore append their events as the last statement of a transaction, so the lock is held only for the commit.
 *
 * <p>Delivery is at least once: a subscriber reads the events after its acknowledged position and acknowledges the
 * last one it handled; one that crashes before acknowledging reads the same events again, with the same positions.
 */
public interface EventStore {

    /** Appends in order, in this transaction; returns the events with their positions and per-repository sequences. */
    List<RegistryEvent> append(List<RegistryEvent> events);

    /**
     * Registers a subscriber at the start of the retained stream ({@code fromStart}) or at its current head (only
     * events appended from now on). False, and nothing changes, when the subscriber exists.
     */
    boolean subscribe(String subscriber, boolean fromStart);

    /** Up to {@code max} events after the subscriber's acknowledged position, in position order. */
    List<RegistryEvent> read(String subscriber, int max);

    /**
     * Moves the subscriber's position forward to {@code position} (an acknowledgement never moves it back: a stale,
     * repeated ack is harmless). Refuses a position beyond the stream's head.
     */
    void ack(String subscriber, long position);

    /**
     * Moves the subscriber from exactly {@code expected} to {@code to}, as one compare-and-set: false, and nothing
     * changes, when its position is no longer {@code expected} (another node handled those events first). A caller
     * that acts on events in the same transaction rolls back on false, so each event is acted on once.
     */
    boolean advance(String subscriber, long expected, long to);

    /** The subscriber's acknowledged position. */
    long position(String subscriber);

    /** Removes a subscriber, so it no longer holds back pruning; false when there was none. */
    boolean unsubscribe(String subscriber);

    /** Events matching {@code filter}, oldest first. */
    List<RegistryEvent> list(Filter filter);

    /**
     * Deletes up to {@code limit} of the oldest events that are older than {@code cutoff} and acknowledged by every
     * subscriber; returns how many. Callers prune in batches, one transaction each.
     */
    int prune(Instant cutoff, int limit);

    /**
     * @param repository null for all
     * @param since      null for all; else events at or after it
     * @param after      only events with a larger position (0 for the start): the next page's cursor
     */
    record Filter(String repository, Instant since, long after, int limit) {
        public static final int MAX_LIMIT = 1000;

        public Filter {
            if (limit <= 0 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
            }
        }
    }

    /** An unknown subscriber or a position beyond the head: a caller's mistake, not a storage fault. */
    final class SubscriberException extends IllegalArgumentException {
        public SubscriberException(String message) {
            super(message);
        }
    }
}
