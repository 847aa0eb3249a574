package io.berth.bench;

import java.util.Arrays;
import java.util.Locale;

/** One figure for one registry: the reported value (a median where there were several runs), its range and a note. */
record Measurement(double value, double min, double max, int runs, String unit, String note) {

    static Measurement single(double value, String unit) {
        return new Measurement(value, value, value, 1, unit, "");
    }

    static Measurement median(double[] samples, String unit) {
        double[] s = samples.clone();
        Arrays.sort(s);
        int n = s.length;
        double med = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        return new Measurement(med, s[0], s[n - 1], n, unit, "");
    }

    Measurement withNote(String n) {
        return new Measurement(value, min, max, runs, unit, n);
    }

    /** e.g. {@code 812 MiB/s (790–830)}. */
    String display() {
        String v = fmt(value) + " " + unit;
        if (runs > 1) {
            v += " (" + fmt(min) + "–" + fmt(max) + ")";
        }
        return v;
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "—";
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
