package io.berth.server.http.ecr;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The model constraints (required, length, pattern, enum) of ECR's newer operations (creation templates, pull-time
 * update exclusions), which ECR answers with {@code ValidationException} in AWS's
 * {@code 1 validation error detected: Value … at '…' failed to satisfy constraint: …} form, rather than the
 * {@code InvalidParameterException} of the older operations ({@link Validation}).
 */
final class ModelConstraints {
    private ModelConstraints() {}

    static RegistryException failed(String field, Object value, String constraint) {
        String shown = value == null ? "null" : "'" + value + "'";
        return new RegistryException(ErrorCode.VALIDATION, "1 validation error detected: Value " + shown + " at '"
                + field + "' failed to satisfy constraint: " + constraint);
    }

    static <T> T required(String field, T value) {
        if (value == null) {
            throw failed(field, null, "Member must not be null");
        }
        return value;
    }

    static void length(String field, String value, int min, int max) {
        if (value == null) {
            return;
        }
        if (value.length() < min) {
            throw failed(field, value, "Member must have length greater than or equal to " + min);
        }
        if (value.length() > max) {
            throw failed(field, value, "Member must have length less than or equal to " + max);
        }
    }

    static void pattern(String field, String value, Pattern regex) {
        if (value != null && !regex.matcher(value).matches()) {
            throw failed(field, value, "Member must satisfy regular expression pattern: " + regex.pattern());
        }
    }

    static void oneOf(String field, String value, List<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            throw failed(field, value, "Member must satisfy enum value set: " + allowed);
        }
    }

    static void size(String field, List<?> values, int min, int max) {
        if (values == null) {
            return;
        }
        if (values.size() < min) {
            throw failed(field, values, "Member must have length greater than or equal to " + min);
        }
        if (values.size() > max) {
            throw failed(field, values, "Member must have length less than or equal to " + max);
        }
    }

    /** {@code maxResults} of the listings: absent means ECR's default page of 100. */
    static int maxResults(Integer value, int max) {
        if (value == null) {
            return Math.min(Validation.DEFAULT_PAGE, max);
        }
        if (value < 1) {
            throw failed("maxResults", value, "Member must have value greater than or equal to 1");
        }
        if (value > max) {
            throw failed("maxResults", value, "Member must have value less than or equal to " + max);
        }
        return value;
    }
}
