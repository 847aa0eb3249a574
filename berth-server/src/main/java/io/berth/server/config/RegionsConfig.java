package io.berth.server.config;

import io.berth.core.model.RegistryId;
import io.berth.core.region.Regions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code regions}, {@code registry.host-template} and {@code registry.region-hosts}: which regions this deployment
 * serves and how {@code /v2} host names map onto them.
 *
 * @param regions      the served regions, the first the default; {@code regions} when set, else the one-region
 *                     shorthand {@code region}
 * @param hostTemplate the public host of a registry, with {@code {account}} and {@code {region}} placeholders
 *                     (e.g. {@code {account}.dkr.ecr.{region}.registry.example.com}), for repositoryUri,
 *                     proxyEndpoint and printed login commands; empty: the host the request came to
 * @param regionHosts  host names (without port) that select a region for {@code /v2}, for hosts that do not spell
 *                     {@code <account>.dkr.ecr.<region>.…}
 */
public record RegionsConfig(Regions regions, Optional<String> hostTemplate, Map<String, String> regionHosts) {
    /** A comma-separated list (a YAML list works too); empty: just {@code region}. */
    public static final ConfigKey REGIONS = ConfigKey.withoutDefault("regions").shown("[region]");
    public static final ConfigKey HOST_TEMPLATE = ConfigKey.withoutDefault("registry.host-template")
            .shown("request host");
    /** {@code host=region,host=region}, e.g. {@code 127.0.0.1=us-east-1,localhost=eu-west-1}. */
    public static final ConfigKey REGION_HOSTS = ConfigKey.withoutDefault("registry.region-hosts").shown("none");

    static final ConfigSection<RegionsConfig> SECTION = new ConfigSection<>("regions",
            List.of(REGIONS, HOST_TEMPLATE, REGION_HOSTS), RegionsConfig::read);

    public RegionsConfig {
        regionHosts = Map.copyOf(regionHosts);
    }

    /** One region and no host settings: what tests and the one-region shorthand get. */
    public static RegionsConfig single(String region) {
        return new RegionsConfig(Regions.of(region), Optional.empty(), Map.of());
    }

    private static RegionsConfig read(ConfigValues v) {
        List<String> names = new ArrayList<>();
        for (String s : v.nonBlank(REGIONS).map(r -> r.split(",")).orElse(new String[0])) {
            if (!s.isBlank()) {
                names.add(s.trim());
            }
        }
        if (names.isEmpty()) {
            String single = v.raw(AuthConfig.REGION);
            names.add(single == null ? "us-east-1" : single.trim());
        }
        Regions regions = Regions.of("us-east-1");
        List<String> bad = names.stream().filter(n -> !RegistryId.REGION.matcher(n).matches()).toList();
        if (!bad.isEmpty()) {
            v.problem(REGIONS.name() + " must list AWS-style regions such as us-east-1, got " + bad);
        } else if (names.stream().distinct().count() != names.size()) {
            v.problem(REGIONS.name() + " lists a region twice: " + names);
        } else {
            regions = new Regions(names);
        }
        Optional<String> template = v.nonBlank(HOST_TEMPLATE);
        if (template.isPresent() && (!template.get().contains("{region}") || template.get().contains("/"))) {
            v.problem(HOST_TEMPLATE.name() + " must be a host name with a {region} placeholder (and usually "
                    + "{account}), e.g. {account}.dkr.ecr.{region}.registry.example.com, got '" + template.get() + "'");
        }
        Map<String, String> hosts = new LinkedHashMap<>();
        for (String pair : v.nonBlank(REGION_HOSTS).map(r -> r.split(",")).orElse(new String[0])) {
            int eq = pair.indexOf('=');
            String host = eq < 0 ? "" : pair.substring(0, eq).trim().toLowerCase(java.util.Locale.ROOT);
            String region = eq < 0 ? "" : pair.substring(eq + 1).trim();
            if (host.isEmpty() || !regions.serves(region)) {
                v.problem(REGION_HOSTS.name() + " must be host=region pairs naming served regions " + regions.served()
                        + ", got '" + pair.trim() + "'");
            } else {
                hosts.put(host, region);
            }
        }
        return new RegionsConfig(regions, template, hosts);
    }

    /** The public host of {@code account}'s registry in {@code region}, or {@code requestHost} without a template. */
    public String host(RegistryId account, String region, String requestHost) {
        return hostTemplate.map(t -> t.replace("{account}", account.value()).replace("{region}", region))
                .orElse(requestHost);
    }
}
