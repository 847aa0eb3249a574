package io.berth.server.config;

import java.util.List;

/** {@code log.format}: text for people, JSON for log shippers (access log and server log alike). */
public record LogConfig(LogFormat format) {
    public enum LogFormat { TEXT, JSON }

    public static final ConfigKey FORMAT = ConfigKey.of("log.format", "text");

    static final ConfigSection<LogConfig> SECTION = new ConfigSection<>("log", List.of(FORMAT),
            v -> new LogConfig(v.oneOf(FORMAT, LogFormat.class, LogFormat.TEXT)));
}
