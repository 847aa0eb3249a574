package io.berth.server.config;

import io.berth.core.model.RegistryId;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * {@code account.id}, {@code region} and {@code auth.*}. The root key and master key are secrets: never printed,
 * not even in a refusal.
 */
public record AuthConfig(RegistryId accountId, String region, boolean insecureNoAuth, Optional<String> masterKey,
                         Optional<String> rootAccessKeyId, Optional<String> rootSecretAccessKey) {
    /** The default account's 12-digit ID; {@code 000000000000} when unset (documented, as LocalStack's default). */
    public static final ConfigKey ACCOUNT_ID = ConfigKey.of("account.id", "000000000000");
    public static final ConfigKey REGION = ConfigKey.of("region", "us-east-1");
    // the auth keys use the names AWS users expect rather than the derived BERTH_AUTH_* form
    /** Run without authentication; must be set explicitly and is logged loudly. */
    public static final ConfigKey INSECURE_NO_AUTH = ConfigKey.of("auth.insecure-no-auth", "false")
            .env("BERTH_INSECURE_NO_AUTH");
    /** Base64 of 32 bytes; else {@code <data>/master.key} is used (created on first start). */
    public static final ConfigKey MASTER_KEY = ConfigKey.withoutDefault("auth.master-key").env("BERTH_MASTER_KEY")
            .shown("data/master.key");
    /** The default account's root access key to create at first start (else one is generated and printed). */
    public static final ConfigKey ROOT_ACCESS_KEY_ID = ConfigKey.withoutDefault("auth.root-access-key-id")
            .env("BERTH_ROOT_ACCESS_KEY_ID").shown("generated");
    public static final ConfigKey ROOT_SECRET_ACCESS_KEY = ConfigKey.withoutDefault("auth.root-secret-access-key")
            .env("BERTH_ROOT_SECRET_ACCESS_KEY").shown("generated");

    static final ConfigSection<AuthConfig> SECTION = new ConfigSection<>("auth", List.of(ACCOUNT_ID, REGION,
            INSECURE_NO_AUTH, MASTER_KEY, ROOT_ACCESS_KEY_ID, ROOT_SECRET_ACCESS_KEY), AuthConfig::read);

    @Override
    public String toString() {
        return "AuthConfig[account=" + accountId + ", region=" + region + ", insecureNoAuth=" + insecureNoAuth
                + ", masterKey=" + (masterKey.isPresent() ? "(set)" : "(data dir)") + ", rootAccessKeyId="
                + rootAccessKeyId.orElse("") + "]";
    }

    private static AuthConfig read(ConfigValues v) {
        RegistryId account = RegistryId.DEFAULT;
        String id = v.raw(ACCOUNT_ID);
        if (id == null || !id.matches("[0-9]{12}")) {
            v.problem(ACCOUNT_ID.name() + " must be 12 digits, got '" + id + "'");
        } else {
            account = new RegistryId(id);
        }
        String region = v.raw(REGION);
        if (region == null || !region.matches("[a-z]{2}(-[a-z]+)+-[0-9]+")) {
            v.problem(REGION.name() + " must be an AWS-style region such as us-east-1, got '" + region + "'");
        }
        boolean insecure = v.bool(INSECURE_NO_AUTH);
        Optional<String> master = v.nonBlank(MASTER_KEY);
        if (master.isPresent() && decodedLength(master.get()) != 32) {
            v.problem(MASTER_KEY.name() + " (BERTH_MASTER_KEY) must be base64 of 32 random bytes "
                    + "(e.g. openssl rand -base64 32)");
        }
        Optional<String> keyId = v.nonBlank(ROOT_ACCESS_KEY_ID);
        Optional<String> secret = v.nonBlank(ROOT_SECRET_ACCESS_KEY);
        if (keyId.isPresent() != secret.isPresent()) {
            v.problem("BERTH_ROOT_ACCESS_KEY_ID and BERTH_ROOT_SECRET_ACCESS_KEY must be given together");
        }
        if (keyId.isPresent() && !keyId.get().matches("[A-Z0-9]{16,128}")) {
            v.problem("BERTH_ROOT_ACCESS_KEY_ID must be 16-128 upper-case letters and digits (AKIA...), got '"
                    + keyId.get() + "'");
        }
        if (secret.isPresent() && (secret.get().length() < 16 || secret.get().contains(":"))) {
            v.problem("BERTH_ROOT_SECRET_ACCESS_KEY must be at least 16 characters and contain no ':'");
        }
        return new AuthConfig(account, region, insecure, master, keyId, secret);
    }

    private static int decodedLength(String base64) {
        try {
            return Base64.getDecoder().decode(base64).length;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}
