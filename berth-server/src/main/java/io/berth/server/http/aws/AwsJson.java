package io.berth.server.http.aws;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import java.io.IOException;

/**
 * JSON of the AWS JSON 1.1 APIs (ECR, Secrets Manager): unknown request fields are ignored (newer SDKs send fields
 * older servers do not know), null fields are left out of responses (AWS omits absent members), and any parse
 * failure is a SerializationException, which is what AWS JSON 1.1 services answer and botocore and the Java SDK map.
 */
public final class AwsJson {
    /** The rules below; a service whose members are capitalised adds its naming strategy to them. */
    public static JsonMapper.Builder builder() {
        return JsonMapper.builder()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
                // AWS JSON 1.1 has no coercion: "maxResults":"5", 1.5, "repositoryName":123 or "scanOnPush":"true"
                // are SerializationExceptions, as ECR answers them
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .withCoercionConfigDefaults(c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.Integer,
                        CoercionAction.TryConvert))
                .withCoercionConfig(LogicalType.Float, c -> c.setCoercion(CoercionInputShape.Integer,
                        CoercionAction.TryConvert).setCoercion(CoercionInputShape.Float, CoercionAction.TryConvert))
                .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.Boolean,
                        CoercionAction.TryConvert))
                .serializationInclusion(JsonInclude.Include.NON_NULL);
    }

    public static final ObjectMapper MAPPER = builder().build();

    private AwsJson() {}

    public static <T> T read(byte[] body, Class<T> type) {
        return read(MAPPER, body, type);
    }

    /** {@code body} as {@code type} under {@code mapper}'s rules; SerializationException when it is not one. */
    public static <T> T read(ObjectMapper mapper, byte[] body, Class<T> type) {
        if (body.length == 0) {
            body = new byte[] {'{', '}'}; // the CLI sends no body for operations without input
        }
        try {
            T value = mapper.readValue(body, type);
            if (value == null) {
                throw new RegistryException(ErrorCode.SERIALIZATION, "Request body must be a JSON object");
            }
            return value;
        } catch (IOException e) {
            throw new RegistryException(ErrorCode.SERIALIZATION, "Request body is not valid for the operation: "
                    + firstLine(e.getMessage()));
        }
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass(), e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed JSON";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
