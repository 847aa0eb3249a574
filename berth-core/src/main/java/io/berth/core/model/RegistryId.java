package io.berth.core.model;

import java.util.regex.Pattern;

/**
 * A 12-digit registry (AWS account) ID. Every repository belongs to one; until accounts exist every repository
 * belongs to the configured default registry.
 */
public record RegistryId(String value) {
    private static final Pattern ID = Pattern.compile("[0-9]{12}");

    public static final RegistryId DEFAULT = new RegistryId("000000000000");

    public RegistryId {
        if (value == null || !ID.matcher(value).matches()) {
            throw new IllegalArgumentException("registry ID must be 12 digits");
        }
    }

    @Override
    public String toString() { return value; }
}
