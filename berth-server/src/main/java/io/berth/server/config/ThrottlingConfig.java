package io.berth.server.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code throttling.*}: per-account, per-operation request rates (token buckets), as ECR's TPS quotas.
 * {@code mode off} (the default) throttles nothing; {@code ecr} applies ECR's published quotas, with
 * {@code rates} overriding single operations; {@code custom} applies only {@code rates}.
 *
 * @param rates operation name (ECR's, such as {@code PutImage}) to requests per second; a bucket holds one second
 */
public record ThrottlingConfig(Mode mode, Map<String, Double> rates) {
    public enum Mode { OFF, ECR, CUSTOM }

    public static final ConfigKey MODE = ConfigKey.of("throttling.mode", "off");
    /** {@code Operation=rate,...}, e.g. {@code PutImage=20,BatchGetImage=500}. */
    public static final ConfigKey RATES = ConfigKey.withoutDefault("throttling.rates");

    static final ConfigSection<ThrottlingConfig> SECTION = new ConfigSection<>("throttling", List.of(MODE, RATES),
            ThrottlingConfig::read);

    public static final ThrottlingConfig OFF = new ThrottlingConfig(Mode.OFF, Map.of());

    public ThrottlingConfig {
        rates = Collections.unmodifiableMap(new LinkedHashMap<>(rates));
    }

    private static ThrottlingConfig read(ConfigValues v) {
        Mode mode = v.oneOf(MODE, Mode.class, Mode.OFF);
        Map<String, Double> rates = new LinkedHashMap<>();
        for (String entry : v.nonBlank(RATES).map(s -> s.split(",")).orElse(new String[0])) {
            int eq = entry.indexOf('=');
            String op = eq < 0 ? "" : entry.substring(0, eq).trim();
            if (!op.matches("[A-Z][A-Za-z]{1,63}")) {
                v.problem("throttling.rates entries must be Operation=rate (e.g. PutImage=10), got '" + entry + "'");
                continue;
            }
            try {
                double rate = Double.parseDouble(entry.substring(eq + 1).trim());
                if (!(rate > 0) || rate > 1_000_000) {
                    v.problem("throttling.rates: the rate of " + op + " must be above 0 and at most 1000000");
                }
                rates.put(op, rate);
            } catch (NumberFormatException e) {
                v.problem("throttling.rates: the rate of " + op + " is not a number: '" + entry + "'");
            }
        }
        if (mode == Mode.CUSTOM && rates.isEmpty()) {
            v.problem("throttling.mode custom needs throttling.rates (e.g. PutImage=10,BatchGetImage=100)");
        }
        return new ThrottlingConfig(mode, rates);
    }
}
