package io.berth.core.model;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import java.util.regex.Pattern;

/**
 * A repository name under ECR's rules: 2 to 256 characters, lowercase path components separated by {@code /}, each
 * component alphanumerics joined by one {@code .}, one or two {@code _}, or any run of {@code -} (the AWS API
 * model's pattern, see {@link #NAME}, which is slightly more permissive than the OCI one). This rules out
 * {@code ..}, empty components and leading or trailing slashes.
 */
public final class RepositoryName implements Comparable<RepositoryName> {

    public static final int MIN_LENGTH = 2;
    public static final int MAX_LENGTH = 256;
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");
    private static final Pattern NAME = Pattern.compile("(?:" + COMPONENT + "/)*" + COMPONENT);

    private final String value;

    private RepositoryName(String value) {
        this.value = value;
    }

    /** Validates {@code value}: NAME_INVALID unless it is a repository name. */
    public static RepositoryName of(String value) {
        if (value == null || value.length() < MIN_LENGTH || value.length() > MAX_LENGTH) {
            throw new RegistryException(ErrorCode.NAME_INVALID,
                    "repository name must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters long");
        }
        if (!NAME.matcher(value).matches()) {
            throw new RegistryException(ErrorCode.NAME_INVALID, "invalid repository name: must be lowercase "
                    + "path components of letters and digits, separated by '.', '_', '-' or '/'");
        }
        return new RepositoryName(value);
    }

    /**
     * A name read back from the metadata store, which only ever stores names {@link #of} accepted: not checked
     * again, so listing a thousand repositories (the catalog, DescribeRepositories) runs no pattern per row.
     */
    public static RepositoryName stored(String value) {
        return new RepositoryName(java.util.Objects.requireNonNull(value, "stored repository name"));
    }

    public String value() { return value; }

    @Override
    public boolean equals(Object o) {
        return o instanceof RepositoryName other && value.equals(other.value);
    }

    @Override
    public int hashCode() { return value.hashCode(); }

    @Override
    public String toString() { return value; }

    @Override
    public int compareTo(RepositoryName o) { return value.compareTo(o.value); }
}
