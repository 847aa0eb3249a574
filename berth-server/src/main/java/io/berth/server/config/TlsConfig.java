package io.berth.server.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@code tls.*}: PEM certificate chain and private key (PKCS#8, PKCS#1 RSA or SEC1 EC); both or neither. */
public record TlsConfig(Path cert, Path key) {
    public static final ConfigKey CERT = ConfigKey.withoutDefault("tls.cert");
    public static final ConfigKey KEY = ConfigKey.withoutDefault("tls.key");

    static final ConfigSection<Optional<TlsConfig>> SECTION = new ConfigSection<>("tls", List.of(CERT, KEY),
            TlsConfig::read);

    private static Optional<TlsConfig> read(ConfigValues v) {
        String cert = v.raw(CERT);
        String key = v.raw(KEY);
        if ((cert == null) != (key == null)) {
            v.problem("tls.cert and tls.key must be given together (got only " + (cert == null ? KEY : CERT).name()
                    + ")");
            return Optional.empty();
        }
        if (cert == null) {
            return Optional.empty();
        }
        Path c = v.readableFile(CERT);
        Path k = v.readableFile(KEY);
        return c != null && k != null ? Optional.of(new TlsConfig(c, k)) : Optional.empty();
    }
}
