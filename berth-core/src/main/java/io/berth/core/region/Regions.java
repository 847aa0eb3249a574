package io.berth.core.region;

import io.berth.core.model.RegistryId;
import java.util.List;

/**
 * The regions a deployment serves, the first being the default: the one {@code /v2} uses when the host names none,
 * and the one whose registries are region-less {@link RegistryId}s (where data from before regions lives).
 * Converts between region names, as requests, ARNs and events carry them, and registry keys.
 */
public record Regions(List<String> served) {
    public Regions {
        if (served == null || served.isEmpty()) {
            throw new IllegalArgumentException("a deployment serves at least one region");
        }
        for (String r : served) {
            if (r == null || !RegistryId.REGION.matcher(r).matches()) {
                throw new IllegalArgumentException("not a region: " + r);
            }
        }
        if (served.stream().distinct().count() != served.size()) {
            throw new IllegalArgumentException("regions listed twice: " + served);
        }
        served = List.copyOf(served);
    }

    public static Regions of(String... names) {
        return new Regions(List.of(names));
    }

    public String defaultRegion() { return served.get(0); }

    public boolean serves(String region) { return served.contains(region); }

    /** {@code account}'s registry in {@code region} (a served one); the default region's is region-less. */
    public RegistryId registry(RegistryId account, String region) {
        return account.inRegion(region == null || region.equals(defaultRegion()) ? null : region);
    }

    /** The registry an event names (events carry the account and the region name). */
    public RegistryId registry(String account, String region) {
        return registry(new RegistryId(account), region);
    }

    /** The region name of {@code registry}: what its ARNs and events carry. */
    public String nameOf(RegistryId registry) {
        return registry.region() == null ? defaultRegion() : registry.region();
    }
}
