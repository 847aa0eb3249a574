package io.berth.core.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.model.StarPattern;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * ECR's registry signing configuration: rules of a signing profile ARN and repository filters
 * ({@code WILDCARD_MATCH}: {@code *} matches any run of characters). A rule without filters covers every
 * repository.
 */
public record SigningConfiguration(List<Rule> rules) {
    public record Rule(String signingProfileArn, List<String> filters) {
        public Rule {
            filters = List.copyOf(filters);
        }

        public boolean matches(String repository) {
            return filters.isEmpty() || filters.stream().anyMatch(f -> StarPattern.matches(f, repository));
        }
    }

    public SigningConfiguration {
        rules = List.copyOf(rules);
    }

    /** The profile ARNs whose rules cover {@code repository}, each once, in rule order. */
    public Set<String> profilesFor(String repository) {
        Set<String> out = new LinkedHashSet<>();
        for (Rule r : rules) {
            if (r.matches(repository)) {
                out.add(r.signingProfileArn());
            }
        }
        return out;
    }

    public String toJson() {
        ObjectNode root = NotarySignature.JSON.createObjectNode();
        ArrayNode rs = root.putArray("rules");
        for (Rule r : rules) {
            ObjectNode n = rs.addObject();
            n.put("signingProfileArn", r.signingProfileArn());
            ArrayNode fs = n.putArray("repositoryFilters");
            r.filters().forEach(fs::add);
        }
        return new String(NotarySignature.bytes(root), StandardCharsets.UTF_8);
    }

    public static SigningConfiguration fromJson(String json) {
        try {
            JsonNode root = NotarySignature.JSON.readTree(json);
            List<Rule> rules = new ArrayList<>();
            for (JsonNode n : root.path("rules")) {
                List<String> filters = new ArrayList<>();
                n.path("repositoryFilters").forEach(f -> filters.add(f.asText()));
                rules.add(new Rule(n.path("signingProfileArn").asText(), filters));
            }
            return new SigningConfiguration(rules);
        } catch (IOException e) {
            throw new IllegalStateException("stored signing configuration is not JSON", e);
        }
    }
}
