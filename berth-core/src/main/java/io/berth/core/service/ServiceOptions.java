package io.berth.core.service;

import java.time.Duration;

/**
 * Tuning of {@link StoreBackedRegistryService}.
 *
 * @param tagCacheTtl how long a tag resolution may be served from memory. Writes through this node invalidate it at
 *                    once, so an unbounded TTL is exact when this node is the only writer (the embedded SQLite
 *                    default). {@link Duration#ZERO}, for several nodes over one database without a feed of their
 *                    changes, disables the read cache entirely (tags, repository IDs and manifests). With a
 *                    {@link CacheCoherence} feed it only bounds an entry's life, as a backstop.
 * @param maxBlobBytes largest blob accepted in one upload, -1 for no limit
 * @param createOnPush what an OCI push (blob upload, mount or manifest PUT) to a repository that does not exist
 *                     does. ECR creates only from a CREATE_ON_PUSH template ({@link CreateOnPush#TEMPLATE}); Berth
 *                     defaults to {@link CreateOnPush#ALWAYS} so plain {@code docker push} works without a
 *                     CreateRepository or a template first.
 * @param region       the region this node answers for; every event names it
 */
public record ServiceOptions(Duration tagCacheTtl, long maxBlobBytes, CreateOnPush createOnPush, String region) {
    /** The region events name when none is configured (the {@code region} setting's default). */
    public static final String DEFAULT_REGION = "us-east-1";

    public ServiceOptions(Duration tagCacheTtl, long maxBlobBytes) {
        this(tagCacheTtl, maxBlobBytes, CreateOnPush.ALWAYS, DEFAULT_REGION);
    }

    public ServiceOptions withCreateOnPush(CreateOnPush create) {
        return new ServiceOptions(tagCacheTtl, maxBlobBytes, create, region);
    }

    /** The region this node answers for, which every event names. */
    public ServiceOptions withRegion(String answeringRegion) {
        return new ServiceOptions(tagCacheTtl, maxBlobBytes, createOnPush, answeringRegion);
    }

    /** For a single node: the embedded default. */
    public static ServiceOptions singleNode() {
        return new ServiceOptions(Duration.ofDays(3650), -1);
    }

    /** For several nodes sharing a database, without a feed of their changes: no caching. */
    public static ServiceOptions sharedDatabase() {
        return new ServiceOptions(Duration.ZERO, -1);
    }

    /**
     * For several nodes sharing a database whose changes a {@link CacheCoherence} feed reports: cached, and the
     * TTL only a backstop in case a change reached the database by a path the feed does not see.
     */
    public static ServiceOptions coherentSharedDatabase() {
        return new ServiceOptions(Duration.ofMinutes(1), -1);
    }
}
