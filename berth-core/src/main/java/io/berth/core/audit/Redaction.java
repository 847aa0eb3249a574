package io.berth.core.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
    /** Larger request parameters are replaced by a marker, as CloudTrail truncates large requestParameters. */
    public static final int MAX_REQUEST_CHARS = 4096;
    /** The marker keeps at most this many top-level scalars of at most this many characters each. */
    private static final int MAX_SCALARS = 8;
    private static final int MAX_SCALAR_CHARS = 256;

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
     * The redacted JSON text of a request body that should be a JSON object, or null if it is empty or not one;
     * at most {@link #MAX_REQUEST_CHARS} characters (see {@link #requestSummary}).
     */
    public static String requestParameters(byte[] body) {
        return requestSummary(body).parameters();
    }

    /**
     * What the audit trail keeps of a request body, in one streaming pass with bounded output: the redacted JSON
     * text when it fits in {@link #MAX_REQUEST_CHARS} characters, else (as CloudTrail truncates large
     * requestParameters) a {@code {"truncated":true,"chars":N,...}} marker that keeps the short top-level scalars
     * which identify the request. Layer bytes are skipped unread and never turned into a String; a manifest is
     * measured from the parser's buffer.
     */
    public static RequestSummary requestSummary(byte[] body) {
        if (body == null || body.length == 0) {
            return RequestSummary.NONE;
        }
        BoundedWriter text = new BoundedWriter(MAX_REQUEST_CHARS);
        Map<String, Object> scalars = new LinkedHashMap<>();
        try (JsonParser p = MAPPER.createParser(body); JsonGenerator g = MAPPER.getFactory().createGenerator(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return RequestSummary.NONE;
            }
            g.writeStartObject();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value.isScalarValue() && value != JsonToken.VALUE_NULL && !isSecretName(name)
                        && !DROPPED.contains(name) && !SIZE_ONLY.contains(name)
                        && (value != JsonToken.VALUE_STRING || p.getTextLength() <= MAX_SCALAR_CHARS)
                        && scalars.size() < MAX_SCALARS) {
                    scalars.put(name, value == JsonToken.VALUE_STRING ? p.getText()
                            : value.isNumeric() ? p.getNumberValue() : (Object) p.getBooleanValue());
                }
                copyMember(name, p, g);
            }
            g.writeEndObject();
            if (p.nextToken() != null) {
                return RequestSummary.NONE; // trailing data: not one JSON object
            }
        } catch (IOException e) {
            return RequestSummary.NONE; // not JSON: the event still says what failed, without parameters
        }
        if (!text.overflowed()) {
            return new RequestSummary(text.toString(), scalars);
        }
        ObjectNode marker = MAPPER.createObjectNode().put("truncated", true).put("chars", text.total());
        scalars.forEach((k, v) -> marker.set(k, MAPPER.valueToTree(v)));
        return new RequestSummary(marker.toString(), scalars);
    }

    /**
     * What {@link #requestSummary} found.
     *
     * @param parameters the redacted (possibly truncated) JSON text, or null when the body is not a JSON object
     * @param scalars the short top-level strings, numbers and booleans that are not secrets, by member name
     */
    public record RequestSummary(String parameters, Map<String, Object> scalars) {
        static final RequestSummary NONE = new RequestSummary(null, Map.of());

        /** The top-level string member {@code name}, or null. */
        public String string(String name) {
            return scalars.get(name) instanceof String s ? s : null;
        }
    }

    /** Copies one member's value from {@code p} to {@code g}, redacting as {@link #redact} does, at any depth. */
    private static void copyMember(String name, JsonParser p, JsonGenerator g) throws IOException {
        JsonToken value = p.currentToken();
        if (DROPPED.contains(name)) {
            p.skipChildren(); // a string's characters are skipped unread by the next nextToken()
        } else if (SIZE_ONLY.contains(name)) {
            if (value == JsonToken.VALUE_STRING) {
                g.writeNumberField(name + "Size", utf8Length(p.getTextCharacters(), p.getTextOffset(),
                        p.getTextLength()));
            } else {
                p.skipChildren();
            }
        } else if (isSecretName(name) && value != JsonToken.VALUE_NULL) {
            p.skipChildren();
            g.writeStringField(name, REDACTED);
        } else {
            g.writeFieldName(name);
            copyValue(p, g);
        }
    }

    private static void copyValue(JsonParser p, JsonGenerator g) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            g.writeStartObject();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                copyMember(name, p, g);
            }
            g.writeEndObject();
        } else if (t == JsonToken.START_ARRAY) {
            g.writeStartArray();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                copyValue(p, g);
            }
            g.writeEndArray();
        } else {
            g.copyCurrentEvent(p);
        }
    }

    private static int utf8Length(char[] chars, int offset, int length) {
        int n = 0;
        for (int i = offset; i < offset + length; i++) {
            char c = chars[i];
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3; // a surrogate pair is 4 bytes
        }
        return n;
    }

    /** Keeps the first {@code max} characters written and counts the rest, so a huge body costs no memory. */
    private static final class BoundedWriter extends Writer {
        private final StringBuilder kept = new StringBuilder();
        private final int max;
        private long total;

        BoundedWriter(int max) { this.max = max; }

        @Override
        public void write(char[] buf, int off, int len) {
            total += len;
            int room = max - kept.length();
            if (room > 0) {
                kept.append(buf, off, Math.min(room, len));
            }
        }

        boolean overflowed() { return total > max; }

        long total() { return total; }

        @Override
        public void flush() { }

        @Override
        public void close() { }

        @Override
        public String toString() { return kept.toString(); }
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
