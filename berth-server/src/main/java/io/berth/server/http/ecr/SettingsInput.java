package io.berth.server.http.ecr;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.TagMutability;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validation of the repository settings CreateRepository and PutImageTagMutability / TagResource share, and the
 * console's settings form (through {@link #checkMutability} and {@link #checkTags}: the same checks and messages).
 */
public final class SettingsInput {
    static final List<String> MUTABILITY = Arrays.stream(TagMutability.values()).map(Enum::name).toList();
    static final String FILTER_PATTERN = "^[0-9a-zA-Z._*-]{1,128}$";
    static final String FILTERS_FIELD = "imageTagMutabilityExclusionFilters";

    private SettingsInput() {}

    /** The mode (MUTABLE when absent) with its filters checked: 1..5, WILDCARD, pattern, at most 2 wildcards. */
    static TagMutability mutability(String mode, List<Shapes.ImageTagMutabilityExclusionFilter> filters) {
        Validation.oneOf("imageTagMutability", mode, MUTABILITY);
        TagMutability m = mode == null ? TagMutability.MUTABLE : TagMutability.valueOf(mode);
        boolean given = filters != null && !filters.isEmpty();
        if (m.usesExclusions() && !given) {
            throw Validation.invalid(FILTERS_FIELD, "ImageTagMutabilityExclusionFilters can't be null when "
                    + "imageTagMutability is set as " + m);
        }
        if (!m.usesExclusions() && filters != null) {
            throw Validation.invalid(FILTERS_FIELD, "ImageTagMutabilityExclusionFilters can only be specified when "
                    + "imageTagMutability is set as IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION");
        }
        if (given) {
            Validation.size(FILTERS_FIELD, filters, 1, 5);
            for (Shapes.ImageTagMutabilityExclusionFilter f : filters) {
                Validation.required(FILTERS_FIELD + ".member.filterType", f.filterType());
                Validation.oneOf(FILTERS_FIELD + ".member.filterType", f.filterType(), List.of("WILDCARD"));
                Validation.required(FILTERS_FIELD + ".member.filter", f.filter());
                Validation.pattern(FILTERS_FIELD + ".member.filter", f.filter(), FILTER_PATTERN);
                if (f.filter().chars().filter(c -> c == '*').count() > 2) {
                    throw Validation.invalid(FILTERS_FIELD, "Image tag mutability exclusion filter can contain a "
                            + "maximum of 2 wildcards");
                }
            }
        }
        return m;
    }

    /** {@link #mutability} for a mode and plain filter strings (WILDCARD filters), as the console's form has them. */
    public static TagMutability checkMutability(String mode, List<String> filters) {
        return mutability(mode, filters == null || filters.isEmpty() ? null
                : filters.stream().map(f -> new Shapes.ImageTagMutabilityExclusionFilter("WILDCARD", f)).toList());
    }

    /** {@link #tags} for a key/value map, as the console's form has them. */
    public static Map<String, String> checkTags(Map<String, String> tags) {
        return tags(tags.entrySet().stream().map(e -> new Shapes.Tag(e.getKey(), e.getValue())).toList());
    }

    static List<String> filterValues(List<Shapes.ImageTagMutabilityExclusionFilter> filters) {
        return filters == null ? List.of()
                : filters.stream().map(Shapes.ImageTagMutabilityExclusionFilter::filter).distinct().toList();
    }

    /** Resource tags as a map; ECR's limits: key 1..128, value 0..256 characters (InvalidTagParameter). */
    static Map<String, String> tags(List<Shapes.Tag> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        if (tags == null) {
            return out;
        }
        for (Shapes.Tag t : tags) {
            if (t == null || t.key() == null || t.key().isEmpty() || t.key().length() > 128
                    || (t.value() != null && t.value().length() > 256) || t.key().startsWith("aws:")) {
                throw invalidTag();
            }
            out.put(t.key(), t.value() == null ? "" : t.value());
        }
        return out;
    }

    static RegistryException invalidTag() {
        return new RegistryException(ErrorCode.INVALID_TAG_PARAMETER, "An invalid parameter has been specified. "
                + "Tag keys can have a maximum character length of 128 characters, and tag values can have a "
                + "maximum length of 256 characters.");
    }
}
