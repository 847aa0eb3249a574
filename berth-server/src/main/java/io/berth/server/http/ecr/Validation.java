package io.berth.server.http.ecr;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.Digest;
import io.berth.core.model.RepositoryName;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Input checks with ECR's messages: {@code Invalid parameter at '<field>' failed to satisfy constraint: '<rule>'},
 * all as InvalidParameterException. Length before pattern, as ECR reports them.
 */
final class Validation {
    /** The AWS model's RepositoryName pattern, quoted in messages as ECR does. */
    static final String REPOSITORY_NAME_PATTERN =
            "(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*";
    static final String DIGEST_PATTERN = "[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+";
    static final int DEFAULT_PAGE = 100;

    private Validation() {}

    static RegistryException invalid(String field, String constraint) {
        return new RegistryException(ErrorCode.INVALID_PARAMETER,
                "Invalid parameter at '" + field + "' failed to satisfy constraint: '" + constraint + "'");
    }

    static <T> T required(String field, T value) {
        if (value == null) {
            throw invalid(field, "Member must not be null");
        }
        return value;
    }

    static void length(String field, String value, int min, int max) {
        if (value == null) {
            return;
        }
        if (value.length() < min) {
            throw invalid(field, "Member must have length greater than or equal to " + min);
        }
        if (value.length() > max) {
            throw invalid(field, "Member must have length less than or equal to " + max);
        }
    }

    static void pattern(String field, String value, String regex) {
        if (value != null && !Pattern.matches(regex, value)) {
            throw invalid(field, "must satisfy regular expression '" + regex + "'");
        }
    }

    static void size(String field, Collection<?> values, int min, int max) {
        if (values == null) {
            return;
        }
        if (values.size() < min) {
            throw invalid(field, "Member must have length greater than or equal to " + min);
        }
        if (values.size() > max) {
            throw invalid(field, "Member must have length less than or equal to " + max);
        }
    }

    static void oneOf(String field, String value, List<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            throw invalid(field, "Member must satisfy enum value set: " + allowed);
        }
    }

    static RepositoryName repositoryName(String value) {
        return repositoryName("repositoryName", value);
    }

    static RepositoryName repositoryName(String field, String value) {
        required(field, value);
        length(field, value, RepositoryName.MIN_LENGTH, RepositoryName.MAX_LENGTH);
        try {
            return RepositoryName.of(value);
        } catch (RegistryException e) {
            throw invalid(field, "must satisfy regular expression '" + REPOSITORY_NAME_PATTERN + "'");
        }
    }

    /** A digest in ECR's pattern that Berth can also parse (known algorithm, right length). */
    static Digest digest(String field, String value) {
        required(field, value);
        pattern(field, value, DIGEST_PATTERN);
        try {
            return Digest.parse(value);
        } catch (RegistryException | IllegalArgumentException e) {
            throw invalid(field, "must be a valid digest such as 'sha256:<64 hex digits>'");
        }
    }

    /** {@code maxResults}: absent means ECR's default page of 100. */
    static int maxResults(Integer value, int max) {
        if (value == null) {
            return Math.min(DEFAULT_PAGE, max);
        }
        if (value < 1) {
            throw invalid("maxResults", "Member must have value greater than or equal to 1");
        }
        if (value > max) {
            throw invalid("maxResults", "Member must have value less than or equal to " + max);
        }
        return value;
    }
}
