package io.berth.server.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole configuration, immutable, one record per section. Built only by {@link ConfigValidator} from the merged
 * key/value view that {@link ConfigLoader} assembles (CLI over env over file over defaults), so every instance is
 * valid. A new section is a record that declares its keys and reads them (as {@link GcConfig} does), a component
 * here, and an entry in {@link #SECTIONS}.
 */
public record BerthConfig(HttpConfig http, StorageConfig storage, MetadataConfig metadata, GcConfig gc,
                          LogConfig log, AuthConfig auth, RegistryConfig registry, AuditConfig audit,
                          EventsConfig events, JobsConfig jobs, LifecycleConfig lifecycle,
                          PullThroughConfig pullThrough, TestingConfig testing, ScanningConfig scanning,
                          RegionsConfig regions, ManagementConfig management,
                          ThrottlingConfig throttling, WebhooksConfig webhooks,
                          TracingConfig tracing) {

    /** Every section, in the order the README's configuration reference lists their keys. */
    static final List<ConfigSection<?>> SECTIONS = List.of(HttpConfig.SECTION, StorageConfig.SECTION,
            MetadataConfig.SECTION, TlsConfig.SECTION, GcConfig.SECTION, LogConfig.SECTION, AuthConfig.SECTION,
            RegionsConfig.SECTION, RegistryConfig.SECTION, AuditConfig.SECTION, EventsConfig.SECTION, JobsConfig.SECTION,
            LifecycleConfig.SECTION, PullThroughConfig.SECTION, TestingConfig.SECTION, ScanningConfig.SECTION,
            HttpLimits.SECTION, ManagementConfig.SECTION, ThrottlingConfig.SECTION, WebhooksConfig.SECTION,
            TracingConfig.SECTION);

    /** Every key, by name. */
    static final Map<String, ConfigKey> KEYS = keys();

    public Path sqliteFile() { return storage.data().resolve("berth.db"); }

    /** Every key, in the order of {@link #SECTIONS}. */
    static List<ConfigKey> keyList() { return List.copyOf(KEYS.values()); }

    static Optional<ConfigKey> key(String name) { return Optional.ofNullable(KEYS.get(name)); }

    /** The keys that have a default, with it: the bottom layer of the merged view. */
    static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        KEYS.values().forEach(k -> k.defaultIfUnset().ifPresent(v -> d.put(k.name(), v)));
        return d;
    }

    /** Tls and the limits are read as parts of {@link HttpConfig}. */
    static BerthConfig read(ConfigValues v) {
        return new BerthConfig(HttpConfig.SECTION.read(v), StorageConfig.SECTION.read(v),
                MetadataConfig.SECTION.read(v), GcConfig.SECTION.read(v), LogConfig.SECTION.read(v),
                AuthConfig.SECTION.read(v), RegistryConfig.SECTION.read(v), AuditConfig.SECTION.read(v),
                EventsConfig.SECTION.read(v), JobsConfig.SECTION.read(v), LifecycleConfig.SECTION.read(v),
                PullThroughConfig.SECTION.read(v), TestingConfig.SECTION.read(v), ScanningConfig.SECTION.read(v),
                RegionsConfig.SECTION.read(v), ManagementConfig.SECTION.read(v), ThrottlingConfig.SECTION.read(v),
                WebhooksConfig.SECTION.read(v), TracingConfig.SECTION.read(v));
    }

    private static Map<String, ConfigKey> keys() {
        Map<String, ConfigKey> keys = new LinkedHashMap<>();
        SECTIONS.stream().flatMap(s -> s.keys().stream()).forEach(k -> {
            if (keys.put(k.name(), k) != null) {
                throw new IllegalStateException("configuration key " + k.name() + " is declared twice");
            }
        });
        if (keys.values().stream().map(ConfigKey::env).distinct().count() != keys.size()) {
            throw new IllegalStateException("two configuration keys share an environment variable");
        }
        return Collections.unmodifiableMap(keys);
    }
}
