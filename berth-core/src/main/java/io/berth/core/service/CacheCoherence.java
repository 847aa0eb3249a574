package io.berth.core.service;

/**
 * How the read cache of one node learns what other nodes change in a shared database (issue 11 §2): a feed of
 * changed repositories (PostgreSQL LISTEN/NOTIFY) reports to {@link Invalidations}, and the cache serves from memory
 * only while {@link #live()} vouches that the feed is connected and current. A feed that lost its connection, or has
 * not confirmed it recently, turns the cache off until it has reconnected and reset it; so another node's change is
 * never served stale for longer than the feed's own bound.
 */
public interface CacheCoherence {
    /** Whether every change committed elsewhere is being reported now (the feed is connected and confirmed). */
    boolean live();

    /** What the feed tells the cache. */
    interface Invalidations {
        /** Rows of this repository changed (its record, tags, manifests or their storage state). */
        void repositoryChanged(long repositoryId);

        /** Anything may have changed unseen (the feed reconnected): drop everything. */
        void everythingChanged();
    }
}
