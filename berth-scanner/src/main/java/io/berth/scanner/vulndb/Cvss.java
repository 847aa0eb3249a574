package io.berth.scanner.vulndb;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * CVSS base scores from vectors, by the specifications' formulas: v3.1 (with its Roundup), v3.0 (plain ceiling to
 * one decimal) and v2. A v4 vector has no closed-form score (its scoring needs FIRST's macro-vector tables), so it
 * yields none and the severity falls back to the record's word. A malformed vector yields none as well.
 */
public final class Cvss {
    private Cvss() {}

    /** The version of a vector: "3.1", "3.0", "4.0", "2.0", or null if it is none of them. */
    public static String version(String vector) {
        if (vector == null) {
            return null;
        }
        if (vector.startsWith("CVSS:3.1/")) {
            return "3.1";
        }
        if (vector.startsWith("CVSS:3.0/")) {
            return "3.0";
        }
        if (vector.startsWith("CVSS:4.0/")) {
            return "4.0";
        }
        return metrics(vector.startsWith("(") ? vector.substring(1, vector.length() - 1) : vector)
                .containsKey("Au") ? "2.0" : null;
    }

    public static OptionalDouble baseScore(String vector) {
        String v = version(vector);
        if (v == null) {
            return OptionalDouble.empty();
        }
        try {
            return switch (v) {
                case "3.1", "3.0" -> OptionalDouble.of(v3(metrics(vector.substring(9)), v.equals("3.1")));
                case "2.0" -> OptionalDouble.of(v2(metrics(vector.startsWith("(")
                        ? vector.substring(1, vector.length() - 1) : vector)));
                default -> OptionalDouble.empty();
            };
        } catch (IllegalArgumentException e) {
            return OptionalDouble.empty();
        }
    }

    private static Map<String, String> metrics(String body) {
        Map<String, String> m = new HashMap<>();
        for (String part : body.split("/")) {
            int colon = part.indexOf(':');
            if (colon > 0) {
                m.put(part.substring(0, colon), part.substring(colon + 1));
            }
        }
        return m;
    }

    private static double pick(Map<String, String> m, String key, String values, double... weights) {
        String v = m.get(key);
        int i = v == null || v.length() != 1 ? -1 : values.indexOf(v.charAt(0));
        if (i < 0) {
            throw new IllegalArgumentException("CVSS metric " + key + " missing or invalid");
        }
        return weights[i];
    }

    private static double v3(Map<String, String> m, boolean v31) {
        boolean changed = "C".equals(m.get("S"));
        if (!changed && !"U".equals(m.get("S"))) {
            throw new IllegalArgumentException("CVSS metric S missing");
        }
        double av = pick(m, "AV", "NALP", 0.85, 0.62, 0.55, 0.2);
        double ac = pick(m, "AC", "LH", 0.77, 0.44);
        double pr = changed ? pick(m, "PR", "NLH", 0.85, 0.68, 0.5) : pick(m, "PR", "NLH", 0.85, 0.62, 0.27);
        double ui = pick(m, "UI", "NR", 0.85, 0.62);
        double c = pick(m, "C", "HLN", 0.56, 0.22, 0);
        double i = pick(m, "I", "HLN", 0.56, 0.22, 0);
        double a = pick(m, "A", "HLN", 0.56, 0.22, 0);
        double iss = 1 - (1 - c) * (1 - i) * (1 - a);
        double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
        double exploitability = 8.22 * av * ac * pr * ui;
        if (impact <= 0) {
            return 0.0;
        }
        double raw = changed ? Math.min(1.08 * (impact + exploitability), 10) : Math.min(impact + exploitability, 10);
        return v31 ? roundup31(raw) : Math.ceil(raw * 10) / 10.0;
    }

    /** CVSS v3.1 Appendix A: the smallest one-decimal number ≥ x, robust to floating-point error. */
    private static double roundup31(double x) {
        long intInput = Math.round(x * 100000);
        if (intInput % 10000 == 0) {
            return intInput / 100000.0;
        }
        return (Math.floor(intInput / 10000.0) + 1) / 10.0;
    }

    private static double v2(Map<String, String> m) {
        double av = pick(m, "AV", "LAN", 0.395, 0.646, 1.0);
        double ac = pick(m, "AC", "HML", 0.35, 0.61, 0.71);
        double au = pick(m, "Au", "MSN", 0.45, 0.56, 0.704);
        double c = pick(m, "C", "NPC", 0, 0.275, 0.660);
        double i = pick(m, "I", "NPC", 0, 0.275, 0.660);
        double a = pick(m, "A", "NPC", 0, 0.275, 0.660);
        double impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
        double exploitability = 20 * av * ac * au;
        double f = impact == 0 ? 0 : 1.176;
        double base = ((0.6 * impact) + (0.4 * exploitability) - 1.5) * f;
        return BigDecimal.valueOf(base).setScale(1, RoundingMode.HALF_UP).doubleValue();
    }
}
