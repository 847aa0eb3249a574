package io.berth.core.model;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import java.util.regex.Pattern;

/** A tag under the OCI rule {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}}. */
public record Tag(String value) implements Comparable<Tag> {

    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    public Tag {
        if (value == null || !TAG.matcher(value).matches()) {
            throw new RegistryException(ErrorCode.TAG_INVALID_FORMAT,
                    "invalid tag: must match [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
        }
    }

    public static Tag of(String value) { return new Tag(value); }

    @Override
    public String toString() { return value; }

    @Override
    public int compareTo(Tag o) { return value.compareTo(o.value); }
}
