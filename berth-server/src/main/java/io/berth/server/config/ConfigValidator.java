package io.berth.server.config;

import io.berth.core.model.RegistryId;
import io.berth.server.config.BerthConfig.AuthConfig;
import io.berth.server.config.BerthConfig.GcConfig;
import io.berth.server.config.BerthConfig.HttpConfig;
import io.berth.server.config.BerthConfig.LogConfig;
import io.berth.server.config.BerthConfig.LogFormat;
import io.berth.server.config.BerthConfig.MetadataConfig;
import io.berth.server.config.BerthConfig.MetadataType;
import io.berth.server.config.BerthConfig.StorageConfig;
import io.berth.server.config.BerthConfig.TlsConfig;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The one place configuration is checked: it collects every problem and fails once, listing them all. */
public final class ConfigValidator {
    private ConfigValidator() {}

    /** Validates the merged view; {@code problems} may already hold problems found while reading sources. */
    public static BerthConfig validate(Map<String, String> v, List<String> problemsSoFar) {
        List<String> problems = new ArrayList<>(problemsSoFar);

        String host = "0.0.0.0";
        int port = 5000;
        String listen = v.get(ConfigKeys.LISTEN);
        int colon = listen == null ? -1 : listen.lastIndexOf(':');
        if (colon < 0) {
            problems.add("listen must be HOST:PORT (e.g. 127.0.0.1:5000), got '" + listen + "'");
        } else {
            host = listen.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1); // [::1]:5000
            }
            if (host.isEmpty()) {
                host = "0.0.0.0";
            }
            try {
                port = Integer.parseInt(listen.substring(colon + 1));
                if (port < 0 || port > 65535) {
                    problems.add("listen port must be 0-65535, got " + port);
                }
            } catch (NumberFormatException e) {
                problems.add("listen port is not a number: '" + listen.substring(colon + 1) + "'");
            }
        }

        Path data = path(v.get(ConfigKeys.DATA), ConfigKeys.DATA, problems);
        if (data != null && Files.exists(data) && !Files.isDirectory(data)) {
            problems.add("data " + data + " exists and is not a directory");
        }

        MetadataType type = enumValue(MetadataType.class, v.get(ConfigKeys.METADATA_TYPE), ConfigKeys.METADATA_TYPE,
                problems, MetadataType.SQLITE);
        Optional<String> url = Optional.ofNullable(v.get(ConfigKeys.METADATA_URL)).filter(s -> !s.isBlank());
        if (type == MetadataType.POSTGRES && url.isEmpty()) {
            problems.add("metadata.type postgres needs metadata.url (e.g. jdbc:postgresql://127.0.0.1:5432/berth)");
        }
        if (type == MetadataType.POSTGRES && url.isPresent() && !url.get().startsWith("jdbc:postgresql:")) {
            problems.add("metadata.url must start with jdbc:postgresql:, got '" + url.get() + "'");
        }

        Optional<TlsConfig> tls = Optional.empty();
        String cert = v.get(ConfigKeys.TLS_CERT);
        String key = v.get(ConfigKeys.TLS_KEY);
        if ((cert == null) != (key == null)) {
            problems.add("tls.cert and tls.key must be given together");
        } else if (cert != null) {
            Path c = readableFile(cert, ConfigKeys.TLS_CERT, problems);
            Path k = readableFile(key, ConfigKeys.TLS_KEY, problems);
            if (c != null && k != null) {
                tls = Optional.of(new TlsConfig(c, k));
            }
        }

        Duration interval = duration(v.get(ConfigKeys.GC_INTERVAL), ConfigKeys.GC_INTERVAL, problems);
        Duration grace = duration(v.get(ConfigKeys.GC_GRACE), ConfigKeys.GC_GRACE, problems);
        LogFormat format = enumValue(LogFormat.class, v.get(ConfigKeys.LOG_FORMAT), ConfigKeys.LOG_FORMAT, problems,
                LogFormat.TEXT);
        String createOnPush = v.getOrDefault(ConfigKeys.CREATE_ON_PUSH, "true").trim().toLowerCase(Locale.ROOT);
        if (!createOnPush.equals("true") && !createOnPush.equals("false")) {
            problems.add(ConfigKeys.CREATE_ON_PUSH + " must be true or false, got '" + createOnPush + "'");
        }

        AuthConfig auth = auth(v, problems);
        BerthConfig.Limits limits = limits(v, problems);
        Duration retention = duration(v.get(ConfigKeys.AUDIT_RETENTION), ConfigKeys.AUDIT_RETENTION, problems);
        Duration pruneInterval = duration(v.get(ConfigKeys.AUDIT_PRUNE_INTERVAL), ConfigKeys.AUDIT_PRUNE_INTERVAL,
                problems);

        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new BerthConfig(new HttpConfig(host, port, tls, limits), new StorageConfig(data),
                new MetadataConfig(type, url, Optional.ofNullable(v.get(ConfigKeys.METADATA_USER)),
                        Optional.ofNullable(v.get(ConfigKeys.METADATA_PASSWORD))),
                new GcConfig(interval, grace), new LogConfig(format), auth,
                new BerthConfig.RegistryConfig(createOnPush.equals("true")),
                new BerthConfig.AuditConfig(Optional.ofNullable(v.get(ConfigKeys.AUDIT_FILE)).map(String::trim)
                        .filter(f -> !f.isEmpty()).map(Path::of), retention, pruneInterval));
    }

    private static BerthConfig.Limits limits(Map<String, String> v, List<String> problems) {
        Duration idle = duration(v.get(ConfigKeys.HTTP_IDLE_TIMEOUT), ConfigKeys.HTTP_IDLE_TIMEOUT, problems);
        if (idle.isZero()) {
            problems.add(ConfigKeys.HTTP_IDLE_TIMEOUT + " must be positive: without it a silent client holds its "
                    + "connection forever");
        }
        long rate = number(v.get(ConfigKeys.HTTP_MIN_REQUEST_RATE), ConfigKeys.HTTP_MIN_REQUEST_RATE, 0, problems);
        Duration grace = duration(v.get(ConfigKeys.HTTP_MIN_REQUEST_RATE_GRACE),
                ConfigKeys.HTTP_MIN_REQUEST_RATE_GRACE, problems);
        long active = number(v.get(ConfigKeys.HTTP_MAX_ACTIVE_REQUESTS), ConfigKeys.HTTP_MAX_ACTIVE_REQUESTS, 1,
                problems);
        if (active > MAX_ACTIVE_REQUESTS) {
            problems.add(ConfigKeys.HTTP_MAX_ACTIVE_REQUESTS + " must be at most " + MAX_ACTIVE_REQUESTS
                    + " (the request pool has " + BerthConfig.HTTP_THREADS + " threads; the rest stay free for "
                    + "health probes and Jetty itself)");
        }
        return new BerthConfig.Limits(idle, rate, grace, (int) Math.min(active, MAX_ACTIVE_REQUESTS));
    }

    /** Keeps threads of the pool free for {@code /healthz}, {@code /readyz}, the selectors and the acceptor. */
    private static final int MAX_ACTIVE_REQUESTS = BerthConfig.HTTP_THREADS - 32;

    private static long number(String s, String key, long min, List<String> problems) {
        try {
            long n = Long.parseLong(s == null ? "" : s.trim());
            if (n < min) {
                problems.add(key + " must be at least " + min + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            problems.add(key + " must be a whole number, got '" + s + "'");
            return min;
        }
    }

    private static AuthConfig auth(Map<String, String> v, List<String> problems) {
        RegistryId account = RegistryId.DEFAULT;
        String id = v.get(ConfigKeys.ACCOUNT_ID);
        if (id == null || !id.matches("[0-9]{12}")) {
            problems.add(ConfigKeys.ACCOUNT_ID + " must be 12 digits, got '" + id + "'");
        } else {
            account = new RegistryId(id);
        }
        String region = v.get(ConfigKeys.REGION);
        if (region == null || !region.matches("[a-z]{2}(-[a-z]+)+-[0-9]+")) {
            problems.add(ConfigKeys.REGION + " must be an AWS-style region such as us-east-1, got '" + region + "'");
        }
        String insecure = v.getOrDefault(ConfigKeys.INSECURE_NO_AUTH, "false").trim().toLowerCase(Locale.ROOT);
        if (!insecure.equals("true") && !insecure.equals("false")) {
            problems.add(ConfigKeys.INSECURE_NO_AUTH + " must be true or false, got '" + insecure + "'");
        }
        Optional<String> master = nonBlank(v.get(ConfigKeys.MASTER_KEY));
        if (master.isPresent() && decodedLength(master.get()) != 32) {
            problems.add(ConfigKeys.MASTER_KEY + " (BERTH_MASTER_KEY) must be base64 of 32 random bytes "
                    + "(e.g. openssl rand -base64 32)");
        }
        Optional<String> keyId = nonBlank(v.get(ConfigKeys.ROOT_ACCESS_KEY_ID));
        Optional<String> secret = nonBlank(v.get(ConfigKeys.ROOT_SECRET_ACCESS_KEY));
        if (keyId.isPresent() != secret.isPresent()) {
            problems.add("BERTH_ROOT_ACCESS_KEY_ID and BERTH_ROOT_SECRET_ACCESS_KEY must be given together");
        }
        if (keyId.isPresent() && !keyId.get().matches("[A-Z0-9]{16,128}")) {
            problems.add("BERTH_ROOT_ACCESS_KEY_ID must be 16-128 upper-case letters and digits (AKIA...)");
        }
        if (secret.isPresent() && (secret.get().length() < 16 || secret.get().contains(":"))) {
            problems.add("BERTH_ROOT_SECRET_ACCESS_KEY must be at least 16 characters and contain no ':'");
        }
        return new AuthConfig(account, region, insecure.equals("true"), master, keyId, secret);
    }

    private static Optional<String> nonBlank(String s) {
        return Optional.ofNullable(s).map(String::trim).filter(x -> !x.isEmpty());
    }

    private static int decodedLength(String base64) {
        try {
            return java.util.Base64.getDecoder().decode(base64).length;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private static Path path(String s, String key, List<String> problems) {
        if (s == null || s.isBlank()) {
            problems.add(key + " must not be empty");
            return null;
        }
        try {
            return Path.of(s).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            problems.add(key + " is not a valid path: " + s);
            return null;
        }
    }

    private static Path readableFile(String s, String key, List<String> problems) {
        Path p = path(s, key, problems);
        if (p != null && !Files.isRegularFile(p)) {
            problems.add(key + " " + p + " is not a readable file");
            return null;
        }
        return p;
    }

    private static Duration duration(String s, String key, List<String> problems) {
        try {
            Duration d = Durations.parse(s);
            if (d.isNegative()) {
                problems.add(key + " must not be negative");
            }
            return d;
        } catch (IllegalArgumentException | NullPointerException e) {
            problems.add(key + ": " + (s == null ? "missing" : e.getMessage()));
            return Duration.ZERO;
        }
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String s, String key, List<String> problems,
                                                   E fallback) {
        if (s != null) {
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(s.trim().toUpperCase(Locale.ROOT))) {
                    return e;
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        problems.add(key + " must be one of " + String.join("|", names) + ", got '" + s + "'");
        return fallback;
    }
}
