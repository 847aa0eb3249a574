package io.berth.core.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/** The Jazzer tests' way of starting deep inside a grammar: fuzzer text spliced into a valid seed document. */
public final class SeedSplice {
    private SeedSplice() {}

    /** Replaces up to 16 characters of {@code seed}, where the fuzzer picks, with up to 64 fuzzer characters. */
    public static String splice(String seed, FuzzedDataProvider data) {
        int at = data.consumeInt(0, seed.length());
        int cut = data.consumeInt(0, Math.min(16, seed.length() - at));
        return seed.substring(0, at) + data.consumeString(64) + seed.substring(at + cut);
    }
}
