package io.berth.core.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.Descriptor;
import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a pushed manifest and extracts its references. All manifest validation lives here; it only reads the
 * bytes, never stores them (the registry keeps the exact bytes the client sent).
 *
 * <p>Accepted: OCI image manifest, OCI image index, Docker v2 schema 2 and Docker manifest list. Schema 1 is refused
 * (deprecated and unsigned-by-digest). The media type comes from {@code Content-Type}; when the body also declares
 * {@code mediaType} the two must agree, and when {@code Content-Type} is absent the body's field decides.
 */
public final class ManifestParser {

    /** Manifests above this many bytes are refused, as distribution and ECR do. */
    public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

    private static final String FOREIGN_LAYER = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
    private static final String OCI_NONDISTRIBUTABLE_PREFIX = "application/vnd.oci.image.layer.nondistributable.";
    private static final String OCI_IMAGE_CONFIG = "application/vnd.oci.image.config.v1+json";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ManifestParser() {}

    public static ParsedManifest parse(String contentType, byte[] body) {
        if (body.length > MAX_MANIFEST_BYTES) {
            throw new RegistryException(ErrorCode.MANIFEST_TOO_LARGE,
                    "manifest is " + body.length + " bytes; the limit is " + MAX_MANIFEST_BYTES);
        }
        JsonNode root = readTree(body);
        String declared = textOrNull(root, "mediaType");
        String mediaType = resolveMediaType(stripParameters(contentType), declared);

        JsonNode schemaVersion = root.get("schemaVersion");
        if (schemaVersion == null || !schemaVersion.isIntegralNumber() || schemaVersion.asInt() != 2) {
            throw invalid("schemaVersion must be 2");
        }
        return MediaTypes.isIndex(mediaType) ? parseIndex(mediaType, root) : parseImage(mediaType, root);
    }

    /**
     * Exactly one JSON object, optionally surrounded by JSON whitespace, as CNCF distribution and Go's
     * {@code encoding/json} read it. Jackson alone would skip a UTF-8 byte order mark and stop after the first
     * document, so {@code {...}xx}, two documents or a trailing NUL would pass here and fail in other clients.
     */
    private static JsonNode readTree(byte[] body) {
        if (body.length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF) {
            throw invalid("manifest starts with a byte order mark; send plain UTF-8 JSON");
        }
        JsonNode root;
        long end;
        try (JsonParser parser = JSON.createParser(body)) {
            root = parser.readValueAsTree();
            end = parser.currentLocation().getByteOffset();
        } catch (IOException e) {
            throw invalid("manifest is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw invalid("manifest must be a JSON object");
        }
        for (long i = Math.max(0, end); i < body.length; i++) {
            if (!isJsonWhitespace(body[(int) i])) {
                throw invalid("manifest has data after its JSON object (at byte " + i + ")");
            }
        }
        return root;
    }

    private static boolean isJsonWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private static String resolveMediaType(String contentType, String declared) {
        boolean hasContentType = contentType != null && !contentType.isEmpty();
        if (hasContentType && !MediaTypes.MANIFESTS.contains(contentType)) {
            throw invalid("unsupported manifest media type in Content-Type: " + abbreviate(contentType));
        }
        if (declared != null && !MediaTypes.MANIFESTS.contains(declared)) {
            throw invalid("unsupported manifest mediaType: " + abbreviate(declared));
        }
        if (hasContentType && declared != null && !declared.equals(contentType)) {
            throw invalid("mediaType " + declared + " does not match Content-Type " + contentType);
        }
        if (hasContentType) {
            return contentType;
        }
        if (declared != null) {
            return declared;
        }
        throw invalid("manifest media type missing: send Content-Type or a mediaType field");
    }

    private static ParsedManifest parseImage(String mediaType, JsonNode root) {
        if (root.has("manifests")) {
            throw invalid("an image manifest must not have a manifests field");
        }
        Descriptor config = descriptor(root.get("config"), "config");
        JsonNode layersNode = root.get("layers");
        if (layersNode == null || !layersNode.isArray()) {
            throw invalid("layers must be an array");
        }
        Set<Digest> blobs = new LinkedHashSet<>();
        blobs.add(config.digest());
        long layerSize = 0;
        for (int i = 0; i < layersNode.size(); i++) {
            JsonNode layerNode = layersNode.get(i);
            Descriptor layer = descriptor(layerNode, "layers[" + i + "]");
            try {
                layerSize = Math.addExact(layerSize, layer.size());
            } catch (ArithmeticException e) {
                throw invalid("the layer sizes add up to more than " + Long.MAX_VALUE + " bytes");
            }
            if (!isForeign(layer, layerNode)) {
                blobs.add(layer.digest());
            }
        }
        boolean docker = MediaTypes.DOCKER_MANIFEST.equals(mediaType);
        Digest subject = docker ? null : optionalSubject(root);
        String artifactType = docker ? null : textOrNull(root, "artifactType");
        if (!docker && artifactType == null && !OCI_IMAGE_CONFIG.equals(config.mediaType())) {
            artifactType = config.mediaType();
        }
        return new ParsedManifest(mediaType, Collections.unmodifiableSet(blobs), layerSize, List.of(), subject,
                artifactType, annotations(root));
    }

    private static ParsedManifest parseIndex(String mediaType, JsonNode root) {
        if (root.has("layers") || root.has("config")) {
            throw invalid("an index must not have config or layers");
        }
        JsonNode manifests = root.get("manifests");
        if (manifests == null || !manifests.isArray()) {
            throw invalid("manifests must be an array");
        }
        List<Descriptor> children = new ArrayList<>(manifests.size());
        for (int i = 0; i < manifests.size(); i++) {
            children.add(descriptor(manifests.get(i), "manifests[" + i + "]"));
        }
        boolean docker = MediaTypes.DOCKER_MANIFEST_LIST.equals(mediaType);
        return new ParsedManifest(mediaType, Set.of(), 0, List.copyOf(children),
                docker ? null : optionalSubject(root), docker ? null : textOrNull(root, "artifactType"),
                annotations(root));
    }

    private static boolean isForeign(Descriptor layer, JsonNode node) {
        JsonNode urls = node.get("urls");
        boolean hasUrls = urls != null && urls.isArray() && !urls.isEmpty();
        return hasUrls && (FOREIGN_LAYER.equals(layer.mediaType())
                || layer.mediaType().startsWith(OCI_NONDISTRIBUTABLE_PREFIX));
    }

    private static Digest optionalSubject(JsonNode root) {
        JsonNode subject = root.get("subject");
        if (subject == null || subject.isNull()) {
            return null;
        }
        return descriptor(subject, "subject").digest();
    }

    /** Parses a descriptor, reporting every malformation as MANIFEST_INVALID with the field's path. */
    static Descriptor descriptor(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw invalid(path + " must be a descriptor object");
        }
        String mediaType = textOrNull(node, "mediaType");
        if (mediaType == null || mediaType.isEmpty()) {
            throw invalid(path + ".mediaType is required");
        }
        String digestText = textOrNull(node, "digest");
        Digest digest;
        try {
            digest = Digest.parse(digestText);
        } catch (RegistryException e) {
            throw invalid(path + ".digest: " + e.getMessage());
        }
        JsonNode size = node.get("size");
        if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
            throw invalid(path + ".size must be a non-negative integer");
        }
        return new Descriptor(mediaType, digest, size.asLong(), textOrNull(node, "artifactType"), annotations(node));
    }

    private static Map<String, String> annotations(JsonNode node) {
        JsonNode a = node.get("annotations");
        if (a == null || a.isNull()) {
            return Map.of();
        }
        if (!a.isObject()) {
            throw invalid("annotations must be an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        var fields = a.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            if (!e.getValue().isTextual()) {
                throw invalid("annotation " + abbreviate(e.getKey()) + " must be a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw invalid(field + " must be a string");
        }
        return v.asText();
    }

    /** {@code application/x; charset=utf-8} → {@code application/x}. */
    public static String stripParameters(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    }

    private static RegistryException invalid(String message) {
        return new RegistryException(ErrorCode.MANIFEST_INVALID, message);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }
}
