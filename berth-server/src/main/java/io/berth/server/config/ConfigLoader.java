package io.berth.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Merges the configuration sources into one flat key/value view and hands it to {@link ConfigValidator}.
 * Precedence: command line over {@code BERTH_*} environment over the YAML file over the defaults the sections declare.
 * A flat view keeps precedence a plain map overlay and lets the validator report every problem at once.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ConfigLoader() {}

    /**
     * @param file the YAML file, if any
     * @param env the environment (System.getenv() in production)
     * @param cli keys set on the command line (only those the user gave)
     */
    public static BerthConfig load(Optional<Path> file, Map<String, String> env, Map<String, String> cli) {
        List<String> problems = new ArrayList<>();
        Map<String, String> merged = merge(file, env, cli, problems);
        return ConfigValidator.validate(merged, problems);
    }

    /** The flat view: the sections' defaults, overlaid by the file, then the environment, then the command line. */
    static Map<String, String> merge(Optional<Path> file, Map<String, String> env, Map<String, String> cli,
                                     List<String> problems) {
        Map<String, String> merged = new LinkedHashMap<>(BerthConfig.defaults());
        file.ifPresent(f -> merged.putAll(readFile(f, problems)));
        for (ConfigKey key : BerthConfig.keyList()) {
            String v = env.get(key.env());
            if (v != null && !v.isEmpty()) {
                merged.put(key.name(), v);
            }
        }
        cli.forEach((k, v) -> {
            if (v != null) {
                merged.put(k, v);
            }
        });
        return merged;
    }

    static Map<String, String> readFile(Path file, List<String> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!Files.isReadable(file)) {
            problems.add("config file " + file + " does not exist or is not readable");
            return out;
        }
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            problems.add("config file " + file + " is not valid YAML: " + e.getMessage());
            return out;
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return out; // an empty file is a valid, default configuration
        }
        if (!root.isObject()) {
            problems.add("config file " + file + " must be a mapping of keys");
            return out;
        }
        flatten("", root, out, problems);
        return out;
    }

    private static boolean scalars(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isValueNode() || item.isNull()) {
                return false;
            }
        }
        return true;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out, List<String> problems) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                flatten(key, v, out, problems);
            } else if (BerthConfig.key(key).isEmpty()) {
                problems.add("unknown configuration key '" + key + "' (known: " + BerthConfig.KEYS.keySet() + ")");
            } else if (v.isNull()) {
                out.remove(key);
            } else if (v.isValueNode()) {
                out.put(key, v.asText());
            } else if (v.isArray() && scalars(v)) {
                // a list (regions: [us-east-1, eu-west-1]) reads as its comma-separated form, as BERTH_* gives it
                List<String> items = new ArrayList<>();
                v.forEach(item -> items.add(item.asText()));
                out.put(key, String.join(",", items));
            } else {
                problems.add("configuration key '" + key + "' must be a single value");
            }
        }
    }
}
