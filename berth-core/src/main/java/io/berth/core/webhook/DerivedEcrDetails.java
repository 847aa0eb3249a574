package io.berth.core.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.event.EventRecorder;
import io.berth.core.spi.meta.RegistryEvent;

/**
 * The details of the two ECR detail-types Berth derives from its events' free-text detail: "ECR Referrer Action"
 * (from a referrer's IMAGE_PUSHED) and "ECR Scan Resource Change" (from a SCANNING SETTING_CHANGED), in ECR's
 * field names.
 */
final class DerivedEcrDetails {
    private DerivedEcrDetails() {}

    /**
     * {@code action-type PUSH, result, repository-name, image-digest, image-tag?, manifest-media-type,
     * artifact-media-type}, and Berth's {@code subject-digest} (the image it refers to), from the detail
     * {@code subject=<digest> <manifest media type> <artifact type or ->}.
     */
    static ObjectNode of(ObjectNode d, RegistryEvent e) {
        // media types have no spaces; an artifact type is the rest, whatever it holds
        String[] parts = e.detail().substring(EventRecorder.REFERRER_PREFIX.length()).split(" ", 3);
        d.put("result", "SUCCESS");
        d.put("action-type", "PUSH");
        d.put("repository-name", e.repository());
        d.put("image-digest", String.valueOf(e.digest()));
        if (!e.tags().isEmpty()) {
            d.put("image-tag", e.tags().get(0));
        }
        if (parts.length > 1) {
            d.put("manifest-media-type", parts[1]);
        }
        if (parts.length > 2 && !parts[2].equals("-")) {
            d.put("artifact-media-type", parts[2]);
        }
        d.put("subject-digest", parts[0]);
        return d;
    }

    /**
     * ECR's {@code SCAN_FREQUENCY_CHANGE}: a repository's own scan-on-push ({@code resource-type REPOSITORY}, the
     * repository with its new {@code scan-frequency}) or the registry's scanning configuration
     * ({@code resource-type REGISTRY} and its {@code scan-type}; every repository it matches follows it).
     */
    static ObjectNode scanResourceChange(ObjectNode d, RegistryEvent e) {
        d.put("action-type", "SCAN_FREQUENCY_CHANGE");
        String detail = e.detail() == null ? "" : e.detail();
        var repositories = d.putArray("repositories");
        if (e.repository() != null) {
            d.put("resource-type", "REPOSITORY");
            d.put("scan-type", "BASIC");
            ObjectNode r = repositories.addObject();
            r.put("repository-name", e.repository());
            r.put("repository-arn", "arn:aws:ecr:" + e.region() + ":" + e.account() + ":repository/"
                    + e.repository());
            r.put("scan-frequency", detail.equals("scanOnPush=true") ? "SCAN_ON_PUSH" : "MANUAL");
        } else {
            d.put("resource-type", "REGISTRY");
            int space = detail.indexOf(' ');
            d.put("scan-type", space > 0 ? detail.substring(0, space) : detail);
        }
        return d;
    }
}
