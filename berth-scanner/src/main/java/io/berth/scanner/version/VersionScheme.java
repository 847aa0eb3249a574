package io.berth.scanner.version;

import java.util.Comparator;

/**
 * How one ecosystem orders its versions. {@link #compare} is a total order on the versions {@link #validate}
 * accepts, and throws {@link InvalidVersionException} for any other; equal means "the same version" to the
 * ecosystem's own tool (dpkg: {@code 1.0} and {@code 1.0-0}; Maven: {@code 1} and {@code 1.0.0}).
 */
public interface VersionScheme extends Comparator<String> {

    /** The name in messages: dpkg, apk, rpm, maven, pep440, semver, go, nuget. */
    String name();

    @Override
    int compare(String a, String b);

    /** Throws {@link InvalidVersionException} unless {@code version} is valid in this scheme. */
    default void validate(String version) {
        compare(version, version);
    }

    /** Whether {@code version} parses; never throws. */
    default boolean isValid(String version) {
        try {
            validate(version);
            return true;
        } catch (InvalidVersionException e) {
            return false;
        }
    }
}
