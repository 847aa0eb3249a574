package io.berth.server.http.secrets;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.secrets.SecretValue;
import io.berth.server.http.secrets.SecretsManagerShapes.Filter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The Secrets Manager fields' constraints, refused as the service does: InvalidParameterException. */
final class SecretsInput {
    private SecretsInput() {}

    static <T> T required(String field, T value) {
        if (value == null) {
            throw invalid("Missing required parameter " + field);
        }
        return value;
    }

    static void length(String field, String value, int min, int max) {
        if (value != null && (value.length() < min || value.length() > max)) {
            throw invalid("Invalid " + field + ": its length must be between " + min + " and " + max);
        }
    }

    static String secretId(String id) {
        length("SecretId", required("SecretId", id), 1, 2048);
        return id;
    }

    /** ClientRequestToken: 32 to 64 characters when given. */
    static void token(String token) {
        length("ClientRequestToken", token, 32, 64);
    }

    /** Exactly one of the two kinds (or none at all when {@code needed} is false), within 64 KiB. */
    static SecretValue value(String string, byte[] binary, boolean needed) {
        if (string != null && binary != null) {
            throw invalid("You can't specify both a binary secret value and a string secret value in the same "
                    + "secret.");
        }
        if (string == null && binary == null) {
            if (needed) {
                throw invalid("You must provide either SecretString or SecretBinary.");
            }
            return null;
        }
        int size = string != null ? string.getBytes(StandardCharsets.UTF_8).length : binary.length;
        if (size > SecretValue.MAX_BYTES) {
            throw invalid("The secret value is " + size + " bytes; Secrets Manager's limit is "
                    + SecretValue.MAX_BYTES);
        }
        return new SecretValue(string, binary);
    }

    /** The one filter Berth applies: {@code name}, a prefix of the secret names (one value); null for none. */
    static String namePrefix(List<Filter> filters) {
        if (filters == null || filters.isEmpty()) {
            return null;
        }
        if (filters.size() != 1 || !"name".equals(filters.get(0).key()) || filters.get(0).values() == null
                || filters.get(0).values().size() != 1) {
            throw invalid("Berth supports one filter, Key name with one value (a prefix of the secret names)");
        }
        return filters.get(0).values().get(0);
    }

    private static RegistryException invalid(String message) {
        return new RegistryException(ErrorCode.INVALID_PARAMETER, message);
    }
}
