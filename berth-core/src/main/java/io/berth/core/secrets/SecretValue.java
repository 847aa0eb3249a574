package io.berth.core.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A secret's value: a SecretString or a SecretBinary, never both. */
public record SecretValue(String string, byte[] binary) {
    /** Secrets Manager's limit on either kind of value. */
    public static final int MAX_BYTES = 65_536;

    public boolean isBinary() { return binary != null; }

    byte[] bytes() { return binary != null ? binary : string.getBytes(StandardCharsets.UTF_8); }

    static SecretValue of(boolean binary, byte[] bytes) {
        return binary ? new SecretValue(null, bytes) : new SecretValue(new String(bytes, StandardCharsets.UTF_8),
                null);
    }

    boolean sameAs(SecretValue other) {
        return isBinary() == other.isBinary() && Arrays.equals(bytes(), other.bytes());
    }

    @Override public String toString() { return "SecretValue[***]"; }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretValue v && sameAs(v);
    }

    @Override
    public int hashCode() { return Arrays.hashCode(bytes()); }
}
