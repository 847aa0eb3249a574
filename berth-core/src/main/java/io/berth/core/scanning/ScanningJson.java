package io.berth.core.scanning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How scanning state is kept as text in the metadata store: the registry's rules, an image's findings and its
 * severity counts. Times are epoch milliseconds. Only this class reads what it wrote, so unknown fields are errors.
 */
final class ScanningJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScanningJson() {}

    static String rules(List<ScanningRule> rules) {
        ArrayNode out = JSON.createArrayNode();
        for (ScanningRule r : rules) {
            ObjectNode n = out.addObject();
            n.put("scanFrequency", r.frequency().name());
            ArrayNode f = n.putArray("repositoryFilters");
            r.filters().forEach(f::add);
        }
        return out.toString();
    }

    static List<ScanningRule> rules(String text) {
        List<ScanningRule> out = new ArrayList<>();
        for (JsonNode n : read(text)) {
            List<String> filters = new ArrayList<>();
            n.get("repositoryFilters").forEach(f -> filters.add(f.asText()));
            out.add(new ScanningRule(ScanFrequency.valueOf(n.get("scanFrequency").asText()), filters));
        }
        return out;
    }

    static String findings(List<Finding> findings) {
        ArrayNode out = JSON.createArrayNode();
        for (Finding f : findings) {
            ObjectNode n = out.addObject();
            n.put("id", f.vulnerabilityId());
            n.put("title", f.title());
            n.put("description", f.description());
            n.put("uri", f.uri());
            n.put("severity", f.severity());
            if (f.cvssScore() != null) {
                n.put("cvssScore", f.cvssScore());
            }
            n.put("cvssVector", f.cvssVector());
            n.put("cvssVersion", f.cvssVersion());
            n.put("package", f.packageName());
            n.put("version", f.packageVersion());
            n.put("packageManager", f.packageManager());
            n.put("fixedIn", f.fixedInVersion());
            n.put("source", f.source());
            n.put("sourceUrl", f.sourceUrl());
            ArrayNode refs = n.putArray("references");
            f.referenceUrls().forEach(refs::add);
            n.put("filePath", f.filePath());
            n.put("firstObserved", millis(f.firstObservedAt()));
            n.put("lastObserved", millis(f.lastObservedAt()));
        }
        return out.toString();
    }

    static List<Finding> findings(String text) {
        List<Finding> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (JsonNode n : read(text)) {
            List<String> refs = new ArrayList<>();
            n.path("references").forEach(r -> refs.add(r.asText()));
            out.add(new Finding(text(n, "id"), text(n, "title"), text(n, "description"), text(n, "uri"),
                    text(n, "severity"), n.hasNonNull("cvssScore") ? n.get("cvssScore").asDouble() : null,
                    text(n, "cvssVector"), text(n, "cvssVersion"), text(n, "package"), text(n, "version"),
                    text(n, "packageManager"), text(n, "fixedIn"), text(n, "source"), text(n, "sourceUrl"), refs,
                    text(n, "filePath"), instant(n, "firstObserved"), instant(n, "lastObserved")));
        }
        return out;
    }

    /** Severity → count, worst first, only the severities that occur (ECR's {@code findingSeverityCounts}). */
    static Map<String, Integer> counts(List<Finding> findings) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String s : Finding.SEVERITIES) {
            int n = (int) findings.stream().filter(f -> s.equals(f.severity())).count();
            if (n > 0) {
                counts.put(s, n);
            }
        }
        return counts;
    }

    static String countsText(Map<String, Integer> counts) {
        ObjectNode n = JSON.createObjectNode();
        counts.forEach(n::put);
        return n.toString();
    }

    static Map<String, Integer> counts(String text) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (text != null) {
            read(text).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asInt()));
        }
        return out;
    }

    private static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored scanning JSON is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    private static Instant instant(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : Instant.ofEpochMilli(v.asLong());
    }
}
