package io.berth.core.audit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns request and response JSON into what the audit trail may keep: no secrets (any member whose name contains
 * secret, password, credential or signature, ends in token, or is authorization, is replaced by {@link #REDACTED}
 * at any depth; {@code authorizationData} itself is kept, its {@code authorizationToken} is not),
 * no manifest bodies (kept as their size) and no layer bytes (dropped; the byte range is a separate member).
 */
public final class Redaction {
    public static final String REDACTED = "***";
    /** Larger response elements are replaced by a marker: the audit trail is not a copy of every response. */
    static final int MAX_RESPONSE_CHARS = 4096;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String[] SECRET_WORDS = {"secret", "password", "passwd", "credential", "signature"};
    /** Members kept only as their size in bytes ({@code <name>Size}). */
    private static final Set<String> SIZE_ONLY = Set.of("imageManifest");
    /** Members dropped entirely: their content is data, not parameters. */
    private static final Set<String> DROPPED = Set.of("layerPartBlob");

    private Redaction() {}

    public static boolean isSecretName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith("token") || n.equals("authorization")) {
            return true;
        }
        for (String w : SECRET_WORDS) {
            if (n.contains(w)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The redacted JSON text of a request body that should be a JSON object, or null if it is empty or not one.
     * Streams the body so a 27 MB UploadLayerPart blob is skipped, never turned into a String.
     */
    public static String requestParameters(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try (JsonParser p = MAPPER.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            ObjectNode out = MAPPER.createObjectNode();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (DROPPED.contains(name)) {
                    p.skipChildren(); // a string's characters are skipped unread by the next nextToken()
                } else if (SIZE_ONLY.contains(name)) {
                    if (value == JsonToken.VALUE_STRING) {
                        out.put(name + "Size", p.getText().getBytes(StandardCharsets.UTF_8).length);
                    } else {
                        p.skipChildren();
                    }
                } else if (isSecretName(name)) {
                    p.skipChildren();
                    out.put(name, REDACTED);
                } else {
                    JsonNode v = MAPPER.readTree(p);
                    out.set(name, redact(v));
                }
            }
            return out.toString();
        } catch (IOException e) {
            return null; // not JSON: the event still says what failed (SerializationException), without parameters
        }
    }

    /** Redacts a parameter map built by the server itself (for /v2 and admin events). */
    public static String parameters(Map<String, ?> params) {
        if (params == null || params.isEmpty()) {
            return null;
        }
        return redact(MAPPER.valueToTree(params)).toString();
    }

    /**
     * The redacted JSON text of a response object, without manifests, or a {@code {"truncated":true}} marker when
     * it is larger than {@link #MAX_RESPONSE_CHARS} (listings); null for a null response.
     */
    public static String responseElements(Object response) {
        if (response == null) {
            return null;
        }
        JsonNode tree = redact(MAPPER.valueToTree(response));
        if (tree.isObject() && tree.isEmpty()) {
            return null;
        }
        String text = tree.toString();
        return text.length() <= MAX_RESPONSE_CHARS ? text : "{\"truncated\":true,\"chars\":" + text.length() + "}";
    }

    /** A copy of {@code node} with secrets replaced, manifests reduced to sizes and layer bytes dropped. */
    public static JsonNode redact(JsonNode node) {
        if (node instanceof ObjectNode o) {
            ObjectNode out = MAPPER.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String name = e.getKey();
                if (DROPPED.contains(name)) {
                    continue;
                }
                if (SIZE_ONLY.contains(name)) {
                    if (e.getValue().isTextual()) {
                        out.put(name + "Size", e.getValue().asText().getBytes(StandardCharsets.UTF_8).length);
                    }
                } else if (isSecretName(name) && !e.getValue().isNull()) {
                    out.put(name, REDACTED);
                } else {
                    out.set(name, redact(e.getValue()));
                }
            }
            return out;
        }
        if (node instanceof ArrayNode a) {
            ArrayNode out = MAPPER.createArrayNode();
            a.forEach(v -> out.add(redact(v)));
            return out;
        }
        return node;
    }
}
