package io.berth.server.http.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A key service request body, read as KMS's JSON 1.1 model types it: a body that is not a JSON object, or a
 * member of the wrong JSON type (a number for a string, a blob that is not base64), is SerializationException; a
 * required member that is absent is ValidationException in KMS's wording.
 */
final class KmsRequest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JsonNode body;

    private KmsRequest(JsonNode body) {
        this.body = body;
    }

    static KmsRequest parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return new KmsRequest(MAPPER.createObjectNode());
        }
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new RegistryException(ErrorCode.SERIALIZATION, "the request body must be a JSON object");
            }
            return new KmsRequest(node);
        } catch (IOException e) {
            throw new RegistryException(ErrorCode.SERIALIZATION, "the request body is not valid JSON");
        }
    }

    JsonNode tree() { return body; }

    /** A string member, or null when absent. */
    String string(String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw wrongType(name, "a string");
        }
        return n.textValue();
    }

    String requiredString(String name) {
        String s = string(name);
        if (s == null) {
            throw new RegistryException(ErrorCode.VALIDATION, "1 validation error detected: Value null at '"
                    + lowerFirst(name) + "' failed to satisfy constraint: Member must not be null");
        }
        return s;
    }

    Integer integer(String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw wrongType(name, "an integer");
        }
        return n.intValue();
    }

    Boolean bool(String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isBoolean()) {
            throw wrongType(name, "a boolean");
        }
        return n.booleanValue();
    }

    /** A blob member (base64 on the wire), or null when absent. */
    byte[] blob(String name) {
        String s = string(name);
        if (s == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw wrongType(name, "base64");
        }
    }

    byte[] requiredBlob(String name) {
        requiredString(name);
        return blob(name);
    }

    /** The EncryptionContext map (string to string), empty when absent. */
    Map<String, String> context() {
        JsonNode n = body.get("EncryptionContext");
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isObject()) {
            throw wrongType("EncryptionContext", "a map");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw wrongType("EncryptionContext", "a map of strings");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    boolean has(String name) {
        JsonNode n = body.get(name);
        return n != null && !n.isNull() && !(n.isArray() && n.isEmpty());
    }

    private static RegistryException wrongType(String name, String type) {
        return new RegistryException(ErrorCode.SERIALIZATION, "member " + name + " must be " + type);
    }

    private static String lowerFirst(String s) {
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
