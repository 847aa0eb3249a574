package io.berth.server.config;

import io.berth.core.model.RegistryId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The whole configuration, immutable. Built only by {@link ConfigValidator} from the merged key/value view that
 * {@link ConfigLoader} assembles (CLI over env over file over defaults), so every instance is valid.
 */
public record BerthConfig(HttpConfig http, StorageConfig storage, MetadataConfig metadata, GcConfig gc,
                          LogConfig log, AuthConfig auth, RegistryConfig registry, AuditConfig audit) {

    /**
     * {@code audit.*}: the audit trail always goes to the metadata database; {@code file} adds a JSON-lines copy.
     * Events older than {@code retention} (zero: never) are pruned every {@code pruneInterval} (zero: never).
     */
    public record AuditConfig(Optional<Path> file, Duration retention, Duration pruneInterval) {}

    /**
     * {@code registry.*}: behaviour of the registry itself.
     *
     * @param createOnPush whether an OCI push to a missing repository creates it (default true; ECR refuses)
     */
    public record RegistryConfig(boolean createOnPush) {}

    /** {@code listen}, {@code tls.*} and {@code http.*}. */
    public record HttpConfig(String host, int port, Optional<TlsConfig> tls, Limits limits) {
        public HttpConfig(String host, int port, Optional<TlsConfig> tls) {
            this(host, port, tls, Limits.DEFAULT);
        }

        public String listen() { return host + ":" + port; }
    }

    /**
     * {@code http.*}: what a slow or greedy client may hold.
     *
     * @param idleTimeout a connection silent this long is closed
     * @param minRequestRate bytes per second a request body must average (0: no minimum)
     * @param minRequestRateGrace how long a body may arrive slower than that before the minimum applies
     * @param maxActiveRequests data-plane requests handled at once (health probes are not counted)
     */
    public record Limits(Duration idleTimeout, long minRequestRate, Duration minRequestRateGrace,
                         int maxActiveRequests) {
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(30), 4096, Duration.ofSeconds(10), 128);
    }

    /** PEM certificate chain and private key (PKCS#8 or PKCS#1 RSA). */
    public record TlsConfig(Path cert, Path key) {}

    /** {@code data}: the filesystem root for blobs (and the SQLite file). */
    public record StorageConfig(Path data) {}

    public enum MetadataType { SQLITE, POSTGRES }

    /** {@code metadata.*}; the SQLite file lives at {@code <data>/berth.db}. */
    public record MetadataConfig(MetadataType type, Optional<String> url, Optional<String> user,
                                 Optional<String> password) {
        @Override
        public String toString() { // never print the password
            return "MetadataConfig[type=" + type + ", url=" + url.orElse("") + ", user=" + user.orElse("") + "]";
        }
    }

    /** {@code gc.interval} (zero disables the background pass) and {@code gc.grace}. */
    public record GcConfig(Duration interval, Duration grace) {}

    public enum LogFormat { TEXT, JSON }

    public record LogConfig(LogFormat format) {}

    /**
     * {@code account.id}, {@code region} and {@code auth.*}. The root key and master key are secrets: never printed.
     */
    public record AuthConfig(RegistryId accountId, String region, boolean insecureNoAuth, Optional<String> masterKey,
                             Optional<String> rootAccessKeyId, Optional<String> rootSecretAccessKey) {
        @Override
        public String toString() {
            return "AuthConfig[account=" + accountId + ", region=" + region + ", insecureNoAuth=" + insecureNoAuth
                    + ", masterKey=" + (masterKey.isPresent() ? "(set)" : "(data dir)") + ", rootAccessKeyId="
                    + rootAccessKeyId.orElse("") + "]";
        }
    }

    /** Threads of the HTTP request pool (Jetty's default size); blocking handlers hold one per active request. */
    public static final int HTTP_THREADS = 200;

    public Path sqliteFile() { return storage.data().resolve("berth.db"); }
}
