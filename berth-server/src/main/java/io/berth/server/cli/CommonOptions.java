package io.berth.server.cli;

import io.berth.server.config.BerthConfig;
import io.berth.server.config.MetadataConfig;
import io.berth.server.config.StorageConfig;
import io.berth.server.config.ConfigLoader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options both {@code serve} and {@code gc} take, so {@code gc} finds the same data directory and database. */
final class CommonOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (berth.yaml)")
    Path config;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default ./data)")
    String data;

    @Option(names = "--metadata", paramLabel = "sqlite|postgres", description = "Metadata database type")
    String metadataType;

    @Option(names = "--metadata-url", paramLabel = "URL", description = "JDBC URL for postgres")
    String metadataUrl;

    @Option(names = "--metadata-user", paramLabel = "USER", description = "Database user for postgres "
            + "(the password only from berth.yaml or BERTH_METADATA_PASSWORD, never the command line)")
    String metadataUser;

    /** Command-line keys (only those given), for {@link ConfigLoader}. */
    Map<String, String> cliKeys() {
        Map<String, String> m = new HashMap<>();
        m.put(StorageConfig.DATA.name(), data);
        m.put(MetadataConfig.TYPE.name(), metadataType);
        m.put(MetadataConfig.URL.name(), metadataUrl);
        m.put(MetadataConfig.USER.name(), metadataUser);
        return m;
    }

    BerthConfig load(Map<String, String> extra) {
        Map<String, String> cli = cliKeys();
        cli.putAll(extra);
        return ConfigLoader.load(Optional.ofNullable(config), System.getenv(), cli);
    }
}
