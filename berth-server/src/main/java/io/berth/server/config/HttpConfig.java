package io.berth.server.config;

import java.util.List;
import java.util.Optional;

/**
 * The one port: {@code listen}, with its TLS ({@link TlsConfig}) and what a client may hold ({@link HttpLimits}).
 *
 * @param host the address to bind; {@code 0.0.0.0} when {@code listen} names none
 * @param port the port; 0 picks a free one (tests)
 */
public record HttpConfig(String host, int port, Optional<TlsConfig> tls, HttpLimits limits) {
    /** Like CNCF distribution: port 5000 on every interface. */
    public static final ConfigKey LISTEN = ConfigKey.of("listen", "0.0.0.0:5000");

    static final ConfigSection<HttpConfig> SECTION = new ConfigSection<>("server", List.of(LISTEN), HttpConfig::read);

    public HttpConfig(String host, int port, Optional<TlsConfig> tls) {
        this(host, port, tls, HttpLimits.DEFAULT);
    }

    public String listen() { return host + ":" + port; }

    private static HttpConfig read(ConfigValues v) {
        Address a = address(v, LISTEN);
        return new HttpConfig(a.host(), a.port(), TlsConfig.SECTION.read(v), HttpLimits.SECTION.read(v));
    }

    /** A {@code HOST:PORT} setting ({@code listen}, {@code management.listen}); {@code [::1]:5000} for IPv6. */
    record Address(String host, int port) {}

    static Address address(ConfigValues v, ConfigKey key) {
        String host = "0.0.0.0";
        int port = 5000;
        String listen = v.raw(key);
        int colon = listen == null ? -1 : listen.lastIndexOf(':');
        if (colon < 0) {
            v.problem(key.name() + " must be HOST:PORT (e.g. 127.0.0.1:5000), got '" + listen + "'");
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
                    v.problem(key.name() + " port must be 0-65535, got " + port);
                }
            } catch (NumberFormatException e) {
                v.problem(key.name() + " port is not a number: '" + listen.substring(colon + 1) + "'");
            }
        }
        return new Address(host, port);
    }
}
