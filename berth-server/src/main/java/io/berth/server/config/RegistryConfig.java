package io.berth.server.config;

import io.berth.core.service.CreateOnPush;
import java.util.List;
import java.util.Locale;

/**
 * {@code registry.*}: behaviour of the registry itself.
 *
 * @param createOnPush what a push to a missing repository does: {@code template} (ECR's: create only when a
 *                     CREATE_ON_PUSH creation template matches), {@code always} (default: create, with a matching
 *                     template's settings or the defaults) or {@code never}
 */
public record RegistryConfig(CreateOnPush createOnPush) {
    /** BERTH_CREATE_ON_PUSH reads better than BERTH_REGISTRY_CREATE_ON_PUSH. */
    public static final ConfigKey CREATE_ON_PUSH = ConfigKey.of("registry.create-on-push", "always")
            .env("BERTH_CREATE_ON_PUSH");

    static final ConfigSection<RegistryConfig> SECTION = new ConfigSection<>("registry", List.of(CREATE_ON_PUSH),
            v -> new RegistryConfig(createOnPush(v)));

    /** The three modes, plus {@code true} and {@code false}: the values before templates, as always and never. */
    private static CreateOnPush createOnPush(ConfigValues v) {
        String s = v.raw(CREATE_ON_PUSH);
        switch (s == null ? "" : s.trim().toLowerCase(Locale.ROOT)) {
            case "true": return CreateOnPush.ALWAYS;
            case "false": return CreateOnPush.NEVER;
            default: break;
        }
        for (CreateOnPush mode : CreateOnPush.values()) {
            if (s != null && mode.name().equalsIgnoreCase(s.trim())) {
                return mode;
            }
        }
        v.problem(CREATE_ON_PUSH.name() + " must be one of template|always|never (or true|false), got '" + s + "'");
        return CreateOnPush.ALWAYS;
    }
}
