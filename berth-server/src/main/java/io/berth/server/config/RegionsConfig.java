package io.berth.server.config;

import io.berth.core.model.RegistryId;
import io.berth.core.region.Regions;
import io.berth.core.replication.Peer;
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
 * @param peers        regions served by other Berth deployments, as replication destinations
 */
public record RegionsConfig(Regions regions, Optional<String> hostTemplate, Map<String, String> regionHosts,
                            List<Peer> peers) {
    /** A comma-separated list (a YAML list works too); empty: just {@code region}. */
    public static final ConfigKey REGIONS = ConfigKey.withoutDefault("regions").shown("[region]");
    public static final ConfigKey HOST_TEMPLATE = ConfigKey.withoutDefault("registry.host-template")
            .shown("request host");
    /** {@code host=region,host=region}, e.g. {@code 127.0.0.1=us-east-1,localhost=eu-west-1}. */
    public static final ConfigKey REGION_HOSTS = ConfigKey.withoutDefault("registry.region-hosts").shown("none");

    /**
     * {@code region=endpoint;accessKeyId;secret,…}: replication destinations in other Berth deployments. The key is
     * one of the destination account's there (its {@code /v2} takes it as Basic credentials); a secret, never printed.
     */
    public static final ConfigKey REPLICATION_PEERS = ConfigKey.withoutDefault("replication.peers").shown("none");

    static final ConfigSection<RegionsConfig> SECTION = new ConfigSection<>("regions",
            List.of(REGIONS, HOST_TEMPLATE, REGION_HOSTS, REPLICATION_PEERS), RegionsConfig::read);

    public RegionsConfig {
        regionHosts = Map.copyOf(regionHosts);
        peers = List.copyOf(peers);
    }

    /** One region and no host settings: what tests and the one-region shorthand get. */
    public static RegionsConfig single(String region) {
        return new RegionsConfig(Regions.of(region), Optional.empty(), Map.of(), List.of());
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
        return new RegionsConfig(regions, template, hosts, peers(v, regions));
    }

    private static List<Peer> peers(ConfigValues v, Regions regions) {
        List<Peer> peers = new ArrayList<>();
        for (String entry : v.nonBlank(REPLICATION_PEERS).map(r -> r.split(",")).orElse(new String[0])) {
            int eq = entry.indexOf('=');
            String[] parts = eq < 0 ? new String[0] : entry.substring(eq + 1).trim().split(";", -1);
            String region = eq < 0 ? "" : entry.substring(0, eq).trim();
            java.net.URI endpoint = parts.length == 3 ? endpoint(parts[0].trim()) : null;
            if (!RegistryId.REGION.matcher(region).matches() || endpoint == null || parts[1].isBlank()
                    || parts[2].isBlank()) {
                // the entry holds a secret: name only its region in the problem
                v.problem(REPLICATION_PEERS.name() + " must be region=http(s)://host:port;accessKeyId;secret entries, "
                        + "got a bad entry" + (region.isEmpty() ? "" : " for '" + region + "'"));
            } else if (regions.serves(region)) {
                v.problem(REPLICATION_PEERS.name() + ": region " + region + " is served by this deployment");
            } else {
                peers.add(new Peer(region, endpoint, parts[1].trim(), parts[2].trim()));
            }
        }
        return peers;
    }

    private static java.net.URI endpoint(String s) {
        try {
            java.net.URI u = java.net.URI.create(s);
            return (u.getScheme() != null && u.getScheme().matches("https?") && u.getHost() != null) ? u : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The public host of {@code account}'s registry in {@code region}, or {@code requestHost} without a template. */
    public String host(RegistryId account, String region, String requestHost) {
        return hostTemplate.map(t -> t.replace("{account}", account.value()).replace("{region}", region))
                .orElse(requestHost);
    }
}
