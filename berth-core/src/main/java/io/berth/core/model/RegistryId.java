package io.berth.core.model;

import java.util.regex.Pattern;

/**
 * A registry: a 12-digit AWS account ID and, when the deployment serves several regions, the region. As in ECR each
 * account in each region is its own registry (repositories, registry policy, settings); blobs stay shared.
 *
 * <p>{@code region} is null for the deployment's default region (the first configured one), which is where every
 * row written before regions existed lives; another region is named. So a one-region deployment never sees a region
 * here, and an account (a {@link io.berth.core.auth.Principal}'s, IAM's) is a region-less RegistryId. Stores key
 * per-registry rows by {@link #key()}, which is the bare account for the default region: their uniqueness
 * constraints thereby become (account, region, name) without rebuilding SQLite tables that others reference.
 * {@link #toString()} and {@link #value()} stay the account, which is what ARNs and ECR's {@code registryId} show.
 */
public record RegistryId(String value, String region) {
    private static final Pattern ID = Pattern.compile("[0-9]{12}");
    /** AWS-style region names; the same rule the {@code region} setting is checked with. */
    public static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]+");
    private static final char KEY_SEPARATOR = '@';

    public static final RegistryId DEFAULT = new RegistryId("000000000000");

    public RegistryId {
        if (value == null || !ID.matcher(value).matches()) {
            throw new IllegalArgumentException("registry ID must be 12 digits");
        }
        if (region != null && !REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("not a region: " + region);
        }
    }

    /** The account's registry in the default region. */
    public RegistryId(String value) {
        this(value, null);
    }

    /** The key per-registry rows are stored under: the account, or {@code <account>@<region>} off the default. */
    public String key() {
        return region == null ? value : value + KEY_SEPARATOR + region;
    }

    /** The registry a {@link #key()} names. */
    public static RegistryId ofKey(String key) {
        int at = key.indexOf(KEY_SEPARATOR);
        return at < 0 ? new RegistryId(key) : new RegistryId(key.substring(0, at), key.substring(at + 1));
    }

    /** The account alone (region-less): what principals, IAM and account-wide settings are keyed by. */
    public RegistryId account() {
        return region == null ? this : new RegistryId(value);
    }

    /** This account's registry in {@code region} (null: the default region). */
    public RegistryId inRegion(String region) {
        return java.util.Objects.equals(region, this.region) ? this : new RegistryId(value, region);
    }

    /** Whether both name the same account, whatever their regions. */
    public boolean sameAccount(RegistryId other) {
        return other != null && value.equals(other.value);
    }

    @Override
    public String toString() { return value; }
}
