package io.berth.server.config;

import java.util.List;

/**
 * {@code testing.*}: switches for test setups only, all off by default. {@code allowBackdating} lets
 * {@code berth admin set-image-times} rewrite an image's push and pull times (to test lifecycle policies with images
 * of several ages); a registry in service must never allow it, since it changes what lifecycle policies delete.
 */
public record TestingConfig(boolean allowBackdating) {
    public static final ConfigKey ALLOW_BACKDATING = ConfigKey.of("testing.allow-backdating", "false");

    static final ConfigSection<TestingConfig> SECTION = new ConfigSection<>("testing", List.of(ALLOW_BACKDATING),
            v -> new TestingConfig(v.bool(ALLOW_BACKDATING)));
}
