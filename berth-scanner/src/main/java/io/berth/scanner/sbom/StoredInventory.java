package io.berth.scanner.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.scanner.model.Distribution;
import io.berth.scanner.model.Ecosystem;
import io.berth.scanner.model.InstalledPackage;
import io.berth.scanner.model.Inventory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An image's inventory read back from the CycloneDX SBOM {@link CycloneDx#write} attached to it, so a rescan after a
 * data update matches what the image holds without reading its layers again. Only Berth's own SBOMs are read: the
 * tool must be berth-scanner and every package must carry its {@code berth:ecosystem} (SBOMs written before it was
 * recorded, or by other tools, are refused, and the caller reads the layers).
 */
public final class StoredInventory {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StoredInventory() {}

    public static Optional<Inventory> read(byte[] sbom) {
        JsonNode bom;
        try {
            bom = JSON.readTree(sbom);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (bom == null || !bom.isObject() || !byBerth(bom)) {
            return Optional.empty();
        }
        Distribution distribution = null;
        List<InstalledPackage> packages = new ArrayList<>();
        for (JsonNode c : bom.path("components")) {
            Map<String, String> props = properties(c);
            String type = c.path("type").asText("");
            if (type.equals("operating-system")) {
                distribution = new Distribution(text(c, "name"), text(c, "version"), props.get("berth:codename"),
                        props.get("berth:idLike"), props.get("berth:osVersion"), props.get("berth:prettyName"));
                continue;
            }
            Ecosystem ecosystem = ecosystem(props.get(CycloneDx.ECOSYSTEM));
            String name = text(c, "name");
            String version = text(c, "version");
            String path = props.get("berth:path");
            if (ecosystem == null || name == null || version == null || path == null) {
                return Optional.empty(); // not one of Berth's package components: the layers say more
            }
            String group = text(c, "group");
            if (ecosystem == Ecosystem.MAVEN && group != null) {
                name = group + ":" + name;
            }
            packages.add(new InstalledPackage(ecosystem, name, version, props.get("berth:sourceName"), path,
                    props.get("berth:sourceVersion")));
        }
        return Optional.of(new Inventory(distribution, packages));
    }

    private static boolean byBerth(JsonNode bom) {
        for (JsonNode tool : bom.path("metadata").path("tools").path("components")) {
            if (CycloneDx.TOOL.equals(tool.path("name").asText(null))) {
                return true;
            }
        }
        return false;
    }

    private static Ecosystem ecosystem(String name) {
        if (name == null) {
            return null;
        }
        try {
            return Ecosystem.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Map<String, String> properties(JsonNode component) {
        Map<String, String> out = new HashMap<>();
        for (JsonNode p : component.path("properties")) {
            String name = p.path("name").asText(null);
            String value = p.path("value").asText(null);
            if (name != null && value != null) {
                out.putIfAbsent(name, value);
            }
        }
        return out;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isTextual() || v.asText().isEmpty() ? null : v.asText();
    }
}
