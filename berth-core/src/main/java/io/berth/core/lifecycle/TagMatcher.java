package io.berth.core.lifecycle;

import io.berth.core.lifecycle.LifecyclePolicy.Selection;
import java.util.List;
import java.util.Set;

/**
 * A rule's tagging requirement (ECR's "tagMatch"): {@code any} matches every image, {@code untagged} the images
 * without tags, and {@code tagged} the images where every pattern of {@code tagPatternList} (or every prefix of
 * {@code tagPrefixList}) matches at least one tag; the lists are ANDed, as ECR documents.
 */
final class TagMatcher {
    private TagMatcher() {}

    static boolean matches(Selection selection, Set<String> tags) {
        return switch (selection.tagStatus()) {
            case ANY -> true;
            case UNTAGGED -> tags.isEmpty();
            case TAGGED -> !tags.isEmpty()
                    && everyPatternMatchesSomeTag(selection.tagPatternList(), tags)
                    && everyPrefixStartsSomeTag(selection.tagPrefixList(), tags);
        };
    }

    private static boolean everyPatternMatchesSomeTag(List<String> patterns, Set<String> tags) {
        for (String pattern : patterns) {
            boolean found = false;
            for (String tag : tags) {
                if (globMatches(pattern, tag)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private static boolean everyPrefixStartsSomeTag(List<String> prefixes, Set<String> tags) {
        for (String prefix : prefixes) {
            boolean found = false;
            for (String tag : tags) {
                if (tag.startsWith(prefix)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    static boolean globMatches(String pattern, String text) {
        return io.berth.core.model.StarPattern.matches(pattern, text);
    }
}
