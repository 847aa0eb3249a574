package io.berth.server.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** Every configuration key, its default and its environment variable: the one place to add a key. */
public final class ConfigKeys {
    public static final String LISTEN = "listen";
    public static final String DATA = "data";
    public static final String METADATA_TYPE = "metadata.type";
    public static final String METADATA_URL = "metadata.url";
    public static final String METADATA_USER = "metadata.user";
    public static final String METADATA_PASSWORD = "metadata.password";
    public static final String TLS_CERT = "tls.cert";
    public static final String TLS_KEY = "tls.key";
    public static final String GC_INTERVAL = "gc.interval";
    public static final String GC_GRACE = "gc.grace";
    public static final String LOG_FORMAT = "log.format";
    /** The default account's 12-digit ID; {@code 000000000000} when unset (documented, as LocalStack's default). */
    public static final String ACCOUNT_ID = "account.id";
    public static final String REGION = "region";
    /** Run without authentication; must be set explicitly and is logged loudly. */
    public static final String INSECURE_NO_AUTH = "auth.insecure-no-auth";
    /** Base64 of 32 bytes; else {@code <data>/master.key} is used (created on first start). */
    public static final String MASTER_KEY = "auth.master-key";
    /** The default account's root access key to create at first start (else one is generated and printed). */
    public static final String ROOT_ACCESS_KEY_ID = "auth.root-access-key-id";
    public static final String ROOT_SECRET_ACCESS_KEY = "auth.root-secret-access-key";
    /** Whether an OCI push to a repository that does not exist creates it (ECR refuses: NAME_UNKNOWN). */
    public static final String CREATE_ON_PUSH = "registry.create-on-push";
    /** Also append audit events as JSON lines to this file (for log shippers); unset: database only. */
    public static final String AUDIT_FILE = "audit.file";
    /** Audit events older than this are pruned in the background (CloudTrail keeps 90 days); {@code 0} keeps all. */
    public static final String AUDIT_RETENTION = "audit.retention";
    /** How often the background prune runs. */
    public static final String AUDIT_PRUNE_INTERVAL = "audit.prune-interval";
    /** A connection with nothing to read or write for this long is closed. */
    public static final String HTTP_IDLE_TIMEOUT = "http.idle-timeout";
    /** Bytes per second a request body must average, once {@link #HTTP_MIN_REQUEST_RATE_GRACE} has passed. */
    public static final String HTTP_MIN_REQUEST_RATE = "http.min-request-rate";
    /** How long a request body may arrive slower than the minimum rate (slow start, a stalled first packet). */
    public static final String HTTP_MIN_REQUEST_RATE_GRACE = "http.min-request-rate-grace";
    /** Data-plane requests handled at once; more wait without a thread, so health probes always get one. */
    public static final String HTTP_MAX_ACTIVE_REQUESTS = "http.max-active-requests";

    /** Defaults; keys without a default (url, user, password, tls) are absent. Like CNCF distribution: port 5000. */
    public static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry(LISTEN, "0.0.0.0:5000"),
            Map.entry(DATA, "./data"),
            Map.entry(METADATA_TYPE, "sqlite"),
            Map.entry(GC_INTERVAL, "1h"),
            Map.entry(GC_GRACE, "24h"),
            Map.entry(LOG_FORMAT, "text"),
            Map.entry(ACCOUNT_ID, "000000000000"),
            Map.entry(REGION, "us-east-1"),
            Map.entry(INSECURE_NO_AUTH, "false"),
            Map.entry(CREATE_ON_PUSH, "true"),
            Map.entry(AUDIT_RETENTION, "90d"),
            Map.entry(AUDIT_PRUNE_INTERVAL, "1h"),
            Map.entry(HTTP_IDLE_TIMEOUT, "30s"),
            // 4 KiB/s: a 56k modem does 7 KiB/s, so no real network is this slow for a whole upload, while a
            // trickling attacker must spend real bandwidth on every connection it holds
            Map.entry(HTTP_MIN_REQUEST_RATE, "4096"),
            Map.entry(HTTP_MIN_REQUEST_RATE_GRACE, "10s"),
            Map.entry(HTTP_MAX_ACTIVE_REQUESTS, "128"));

    /** Key to environment variable: {@code BERTH_} plus the key upper-cased with dots as underscores. */
    public static final Map<String, String> ENV;

    static {
        Map<String, String> env = new LinkedHashMap<>();
        for (String key : new String[] {LISTEN, DATA, METADATA_TYPE, METADATA_URL, METADATA_USER, METADATA_PASSWORD,
                TLS_CERT, TLS_KEY, GC_INTERVAL, GC_GRACE, LOG_FORMAT, ACCOUNT_ID, REGION, CREATE_ON_PUSH, AUDIT_FILE,
                AUDIT_RETENTION, AUDIT_PRUNE_INTERVAL, HTTP_IDLE_TIMEOUT, HTTP_MIN_REQUEST_RATE,
                HTTP_MIN_REQUEST_RATE_GRACE, HTTP_MAX_ACTIVE_REQUESTS}) {
            // registry.* keys drop the section: BERTH_CREATE_ON_PUSH reads better than BERTH_REGISTRY_CREATE_ON_PUSH
            String name = key.startsWith("registry.") ? key.substring("registry.".length()) : key;
            env.put(key, "BERTH_" + name.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        // auth keys use the names AWS users expect rather than the derived BERTH_AUTH_* form
        env.put(INSECURE_NO_AUTH, "BERTH_INSECURE_NO_AUTH");
        env.put(MASTER_KEY, "BERTH_MASTER_KEY");
        env.put(ROOT_ACCESS_KEY_ID, "BERTH_ROOT_ACCESS_KEY_ID");
        env.put(ROOT_SECRET_ACCESS_KEY, "BERTH_ROOT_SECRET_ACCESS_KEY");
        ENV = java.util.Collections.unmodifiableMap(env);
    }

    public static boolean isKnown(String key) { return ENV.containsKey(key); }

    private ConfigKeys() {}
}
