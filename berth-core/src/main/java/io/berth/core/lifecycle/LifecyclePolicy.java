package io.berth.core.lifecycle;

import java.util.List;

/**
 * A lifecycle policy as ECR documents it: its rules in the document's order. The JSON names live on the enums
 * ({@link TagStatus#json()} and so on); the parser turns policy text into this and refuses what ECR refuses.
 */
public record LifecyclePolicy(List<Rule> rules) {
    public LifecyclePolicy {
        rules = List.copyOf(rules);
    }

    /**
     * One rule. {@code description} may be null.
     */
    public record Rule(int rulePriority, String description, Selection selection, Action action) {}

    /**
     * What a rule selects. {@code tagPatternList} and {@code tagPrefixList} are empty when absent; {@code
     * countUnit} is null or {@code "days"}; {@code storageClass} is {@link StorageClass#STANDARD} when absent.
     */
    public record Selection(TagStatus tagStatus, List<String> tagPatternList, List<String> tagPrefixList,
                            StorageClass storageClass, CountType countType, String countUnit, int countNumber) {
        public Selection {
            tagPatternList = List.copyOf(tagPatternList);
            tagPrefixList = List.copyOf(tagPrefixList);
        }
    }

    /** What a rule does; {@code targetStorageClass} is null unless the type is {@link ActionType#TRANSITION}. */
    public record Action(ActionType type, StorageClass targetStorageClass) {}

    public enum TagStatus {
        TAGGED("tagged"), UNTAGGED("untagged"), ANY("any");

        private final String json;

        TagStatus(String json) { this.json = json; }

        public String json() { return json; }
    }

    public enum CountType {
        IMAGE_COUNT_MORE_THAN("imageCountMoreThan"), SINCE_IMAGE_PUSHED("sinceImagePushed"),
        SINCE_IMAGE_PULLED("sinceImagePulled"), SINCE_IMAGE_TRANSITIONED("sinceImageTransitioned");

        private final String json;

        CountType(String json) { this.json = json; }

        public String json() { return json; }
    }

    /** Policy JSON says {@code standard}/{@code archive}; the ECR API's enums say STANDARD/ARCHIVE. */
    public enum StorageClass {
        STANDARD("standard"), ARCHIVE("archive");

        private final String json;

        StorageClass(String json) { this.json = json; }

        public String json() { return json; }
    }

    public enum ActionType {
        EXPIRE("expire"), TRANSITION("transition");

        private final String json;

        ActionType(String json) { this.json = json; }

        public String json() { return json; }
    }
}
