package io.berth.server.config;

import java.util.List;
import java.util.Optional;

/** {@code metadata.*}: the database; SQLite lives at {@code <data>/berth.db}, PostgreSQL at {@code url}. */
public record MetadataConfig(MetadataType type, Optional<String> url, Optional<String> user,
                             Optional<String> password) {
    public enum MetadataType { SQLITE, POSTGRES }

    public static final ConfigKey TYPE = ConfigKey.of("metadata.type", "sqlite");
    public static final ConfigKey URL = ConfigKey.withoutDefault("metadata.url");
    public static final ConfigKey USER = ConfigKey.withoutDefault("metadata.user");
    public static final ConfigKey PASSWORD = ConfigKey.withoutDefault("metadata.password");

    static final ConfigSection<MetadataConfig> SECTION = new ConfigSection<>("metadata",
            List.of(TYPE, URL, USER, PASSWORD), MetadataConfig::read);

    @Override
    public String toString() { // never print the password
        return "MetadataConfig[type=" + type + ", url=" + url.orElse("") + ", user=" + user.orElse("") + "]";
    }

    private static MetadataConfig read(ConfigValues v) {
        MetadataType type = v.oneOf(TYPE, MetadataType.class, MetadataType.SQLITE);
        Optional<String> url = v.optional(URL).filter(s -> !s.isBlank());
        if (type == MetadataType.POSTGRES && url.isEmpty()) {
            v.problem("metadata.type postgres needs metadata.url (e.g. jdbc:postgresql://127.0.0.1:5432/berth)");
        }
        if (type == MetadataType.POSTGRES && url.isPresent() && !url.get().startsWith("jdbc:postgresql:")) {
            v.problem("metadata.url must start with jdbc:postgresql:, got '" + url.get() + "'");
        }
        return new MetadataConfig(type, url, v.optional(USER), v.optional(PASSWORD));
    }
}
