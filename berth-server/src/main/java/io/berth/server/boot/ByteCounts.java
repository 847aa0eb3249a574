package io.berth.server.boot;

import java.util.Locale;

/** Byte counts for people: {@code 512 B}, {@code 1.5 MiB}. */
public final class ByteCounts {
    private ByteCounts() {}

    public static String format(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }
}
