package io.berth.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.model.Digest;
import io.berth.core.spi.meta.RegistryEvent;
import io.berth.core.spi.meta.RegistryEvent.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The EventBridge envelopes and ECR detail shapes the event stream is published in. */
class EventEnvelopesTest {
    private static final Instant T = Instant.parse("2026-12-01T10:00:00.123Z");
    private static final Digest D = Digest.sha256Of(new byte[] {1});

    private static RegistryEvent event(long position, Type type, String reason, String detail, String principal) {
        return new RegistryEvent(position, 1, type, "123456789012", "eu-west-1", "team/app", D, List.of("v1"),
                principal, reason, detail, T);
    }

    private static JsonNode json(RegistryEvent e) throws Exception {
        return new ObjectMapper().readTree(EventEnvelopes.of(e).json());
    }

    @Test
    void aScan_isAnEcrImageScan_withSeverityCounts() throws Exception {
        JsonNode j = json(event(7, Type.IMAGE_SCANNED, "COMPLETE", "CRITICAL=1 HIGH=4", "berth:scanner"));
        assertThat(j.path("detail-type").asText()).isEqualTo("ECR Image Scan");
        assertThat(j.path("time").asText()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(j.path("detail").path("scan-status").asText()).isEqualTo("COMPLETE");
        assertThat(j.path("detail").path("finding-severity-counts").path("CRITICAL").asInt()).isEqualTo(1);
        assertThat(j.path("detail").path("finding-severity-counts").path("HIGH").asInt()).isEqualTo(4);
        assertThat(j.path("detail").path("image-tags").get(0).asText()).isEqualTo("v1");
    }

    @Test
    void deletes_splitIntoEcrImageActionAndBerthLifecycleAction() throws Exception {
        JsonNode user = json(event(1, Type.IMAGE_DELETED, "USER", null, "arn:aws:iam::123456789012:root"));
        assertThat(user.path("detail-type").asText()).isEqualTo("ECR Image Action");
        assertThat(user.path("detail").path("action-type").asText()).isEqualTo("DELETE");
        JsonNode expired = json(event(2, Type.IMAGE_DELETED, "LIFECYCLE", null, "berth:lifecycle"));
        assertThat(expired.path("detail-type").asText()).isEqualTo("Berth Lifecycle Action");
        assertThat(expired.path("detail").path("action-type").asText()).isEqualTo("EXPIRE");
        assertThat(expired.path("source").asText()).isEqualTo("aws.ecr");
        JsonNode signed = json(event(3, Type.IMAGE_PUSHED, null, null, "berth:signer"));
        assertThat(signed.path("detail-type").asText()).isEqualTo("Berth Signing Action");
        JsonNode replicated = json(event(4, Type.IMAGE_PUSHED, null, null, "berth:replication"));
        assertThat(replicated.path("detail-type").asText()).isEqualTo("ECR Replication Action");
    }

    @Test
    void aReferrerPush_isAnEcrReferrerAction_withItsMediaTypesAndSubject() throws Exception {
        Digest subject = Digest.sha256Of(new byte[] {2});
        JsonNode j = json(event(5, Type.IMAGE_PUSHED, null, "subject=" + subject
                + " application/vnd.oci.image.manifest.v1+json application/vnd.dev.cosign.artifact.sig.v1+json",
                "arn:aws:iam::123456789012:root"));
        assertThat(j.path("detail-type").asText()).isEqualTo("ECR Referrer Action");
        assertThat(j.path("source").asText()).isEqualTo("aws.ecr");
        JsonNode d = j.path("detail");
        assertThat(d.path("action-type").asText()).isEqualTo("PUSH");
        assertThat(d.path("result").asText()).isEqualTo("SUCCESS");
        assertThat(d.path("repository-name").asText()).isEqualTo("team/app");
        assertThat(d.path("image-digest").asText()).isEqualTo(D.toString());
        assertThat(d.path("manifest-media-type").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(d.path("artifact-media-type").asText()).isEqualTo("application/vnd.dev.cosign.artifact.sig.v1+json");
        assertThat(d.path("subject-digest").asText()).isEqualTo(subject.toString());
        JsonNode plain = json(event(6, Type.IMAGE_PUSHED, null, null, "arn:aws:iam::123456789012:root"));
        assertThat(plain.path("detail-type").asText()).as("no subject: an image").isEqualTo("ECR Image Action");
        JsonNode noArtifactType = json(event(7, Type.IMAGE_PUSHED, null, "subject=" + subject
                + " application/vnd.oci.image.manifest.v1+json -", "arn:aws:iam::123456789012:root"));
        assertThat(noArtifactType.path("detail").has("artifact-media-type")).isFalse();
    }

    @Test
    void aScanningSettingChange_isAnEcrScanResourceChange_ofTheRepositoryOrTheRegistry() throws Exception {
        JsonNode repo = json(event(8, Type.SETTING_CHANGED, "SCANNING", "scanOnPush=true", "arn:aws:iam::1:root"));
        assertThat(repo.path("detail-type").asText()).isEqualTo("ECR Scan Resource Change");
        assertThat(repo.path("detail").path("action-type").asText()).isEqualTo("SCAN_FREQUENCY_CHANGE");
        assertThat(repo.path("detail").path("resource-type").asText()).isEqualTo("REPOSITORY");
        JsonNode r = repo.path("detail").path("repositories").get(0);
        assertThat(r.path("repository-name").asText()).isEqualTo("team/app");
        assertThat(r.path("repository-arn").asText()).isEqualTo("arn:aws:ecr:eu-west-1:123456789012:repository/team/app");
        assertThat(r.path("scan-frequency").asText()).isEqualTo("SCAN_ON_PUSH");
        JsonNode registry = json(new RegistryEvent(9, 1, Type.SETTING_CHANGED, "123456789012", "eu-west-1", null,
                null, List.of(), "arn:aws:iam::1:root", "SCANNING", "ENHANCED 1 rule(s)", T));
        assertThat(registry.path("detail-type").asText()).isEqualTo("ECR Scan Resource Change");
        assertThat(registry.path("detail").path("resource-type").asText()).isEqualTo("REGISTRY");
        assertThat(registry.path("detail").path("scan-type").asText()).isEqualTo("ENHANCED");
        JsonNode other = json(event(10, Type.SETTING_CHANGED, "TAG_MUTABILITY", "IMMUTABLE", "arn:aws:iam::1:root"));
        assertThat(other.path("detail-type").asText()).isEqualTo("Berth Setting Action");
    }

    @Test
    void theId_isStablePerEvent_andDiffersBetweenEvents() {
        RegistryEvent a = event(1, Type.IMAGE_PUSHED, null, null, "anonymous");
        assertThat(EventEnvelopes.id(a)).isEqualTo(EventEnvelopes.id(a));
        assertThat(EventEnvelopes.id(a)).isNotEqualTo(EventEnvelopes.id(event(2, Type.IMAGE_PUSHED, null, null,
                "anonymous")));
    }

    @Test
    void filters_byDetailTypeAndRepositoryPrefix() {
        var env = EventEnvelopes.of(event(1, Type.IMAGE_PUSHED, null, null, "anonymous"));
        assertThat(EventEnvelopes.matches(env, Set.of(), null)).isTrue();
        assertThat(EventEnvelopes.matches(env, Set.of("ECR Image Scan"), null)).isFalse();
        assertThat(EventEnvelopes.matches(env, Set.of("ECR Image Action"), "team/*")).isTrue();
        assertThat(EventEnvelopes.matches(env, Set.of(), "team/ap")).isFalse();
        assertThat(EventEnvelopes.matches(env, Set.of(), "other/*")).isFalse();
    }

    @Test
    void theSignature_verifies_andRefusesATamperedBodyOrAStaleTime() {
        String h = WebhookSignature.header("whsec_x", T, "{}");
        assertThat(h).matches("t=\\d+,v1=[0-9a-f]{64}");
        assertThat(WebhookSignature.verify("whsec_x", h, "{}", T, Duration.ofMinutes(5))).isTrue();
        assertThat(WebhookSignature.verify("whsec_y", h, "{}", T, Duration.ofMinutes(5))).isFalse();
        assertThat(WebhookSignature.verify("whsec_x", h, "{ }", T, Duration.ofMinutes(5))).isFalse();
        assertThat(WebhookSignature.verify("whsec_x", h, "{}", T.plusSeconds(301), Duration.ofMinutes(5))).isFalse();
    }
}
