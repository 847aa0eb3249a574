package io.berth.server.config;

import java.util.List;

/**
 * {@code registry.*}: behaviour of the registry itself.
 *
 * @param createOnPush whether an OCI push to a missing repository creates it (default true; ECR refuses)
 */
public record RegistryConfig(boolean createOnPush) {
    /** BERTH_CREATE_ON_PUSH reads better than BERTH_REGISTRY_CREATE_ON_PUSH. */
    public static final ConfigKey CREATE_ON_PUSH = ConfigKey.of("registry.create-on-push", "true")
            .env("BERTH_CREATE_ON_PUSH");

    static final ConfigSection<RegistryConfig> SECTION = new ConfigSection<>("registry", List.of(CREATE_ON_PUSH),
            v -> new RegistryConfig(v.bool(CREATE_ON_PUSH)));
}
