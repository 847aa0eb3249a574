package io.berth.server.config;

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

        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new BerthConfig(new HttpConfig(host, port, tls), new StorageConfig(data),
                new MetadataConfig(type, url, Optional.ofNullable(v.get(ConfigKeys.METADATA_USER)),
                        Optional.ofNullable(v.get(ConfigKeys.METADATA_PASSWORD))),
                new GcConfig(interval, grace), new LogConfig(format),
                new BerthConfig.RegistryConfig(createOnPush.equals("true")));
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
