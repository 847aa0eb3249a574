package io.berth.server.config;

import java.util.List;
import java.util.Optional;

/**
 * {@code management.*}: where {@code /metrics} is served. On {@code listen} (a second port, e.g.
 * {@code 127.0.0.1:9090}) it is open, with {@code /healthz} and {@code /readyz} beside it; on the main port it needs
 * {@code Authorization: Bearer <token>}. With neither set, the main port answers {@code /metrics} with 404.
 *
 * @param host  the management port's address, when {@code listen} is set
 * @param port  its port (0 picks a free one: tests)
 * @param token the bearer token that opens {@code /metrics} on the main port
 */
public record ManagementConfig(Optional<String> host, int port, Optional<String> token) {
    public static final ConfigKey LISTEN = ConfigKey.withoutDefault("management.listen");
    public static final ConfigKey TOKEN = ConfigKey.withoutDefault("management.token");

    /** Shorter tokens are refused: the token is the only thing between the internet and the metrics. */
    static final int MIN_TOKEN_LENGTH = 16;

    static final ConfigSection<ManagementConfig> SECTION = new ConfigSection<>("management", List.of(LISTEN, TOKEN),
            ManagementConfig::read);

    public static final ManagementConfig OFF = new ManagementConfig(Optional.empty(), 0, Optional.empty());

    public boolean listens() { return host.isPresent(); }

    private static ManagementConfig read(ConfigValues v) {
        Optional<String> token = v.nonBlank(TOKEN);
        if (token.isPresent() && token.get().length() < MIN_TOKEN_LENGTH) {
            v.problem("management.token must be at least " + MIN_TOKEN_LENGTH + " characters");
        }
        if (v.nonBlank(LISTEN).isEmpty()) {
            return new ManagementConfig(Optional.empty(), 0, token);
        }
        HttpConfig.Address a = HttpConfig.address(v, LISTEN);
        return new ManagementConfig(Optional.of(a.host()), a.port(), token);
    }
}
