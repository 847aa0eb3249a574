package io.berth.core.service;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.lifecycle.LifecyclePolicyParser;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.spi.meta.JobStore.NewJob;
import io.berth.core.spi.meta.LifecyclePolicyRecord;
import io.berth.core.spi.meta.LifecyclePreviewRecord;
import io.berth.core.spi.meta.LifecyclePreviewResult;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.RepositoryRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * StartLifecyclePolicyPreview and GetLifecyclePolicyPreview of one registry. A start validates the policy text (or
 * takes the stored policy), marks the repository's preview IN_PROGRESS and enqueues its job (kind
 * {@link LifecycleRuns#PREVIEW_KIND}) in one transaction, so a preview is never left without a job to finish it; the
 * job runs {@link LifecycleRuns#preview}, the dry run of the real evaluation.
 */
public final class LifecyclePreviews {
    private final MetadataStore metadata;
    private final RegistryId registryId;
    private final Clock clock;

    LifecyclePreviews(MetadataStore metadata, RegistryId registryId, Clock clock) {
        this.metadata = metadata;
        this.registryId = registryId;
        this.clock = clock;
    }

    /**
     * Starts a preview of {@code policyText}, or of the stored policy when it is null (LifecyclePolicyNotFound when
     * there is none); InvalidParameter for an invalid text, LifecyclePolicyPreviewInProgress while one runs. Returns
     * the text it evaluates.
     */
    public String start(RepositoryName name, String policyText) {
        if (policyText != null) {
            LifecyclePolicyParser.parse(policyText);
        }
        return metadata.write(tx -> {
            RepositoryRecord r = repository(tx, name);
            String text = policyText;
            if (text == null) {
                text = tx.lifecyclePolicies().get(r.id()).map(LifecyclePolicyRecord::text).orElseThrow(() ->
                        new RegistryException(ErrorCode.LIFECYCLE_POLICY_NOT_FOUND, "Lifecycle policy does not "
                                + "exist for the repository with name '" + name + "' in the registry with id '"
                                + registryId + "'"));
            }
            Instant now = clock.instant();
            if (!tx.lifecyclePreviews().start(r.id(), text, now)) {
                throw new RegistryException(ErrorCode.LIFECYCLE_POLICY_PREVIEW_IN_PROGRESS, "The previous lifecycle "
                        + "policy preview request has not completed for the repository with name '" + name
                        + "' in the registry with id '" + registryId + "'. Wait and try again.");
            }
            String target = LifecycleRuns.target(registryId, name);
            tx.jobs().enqueue(new NewJob(LifecycleRuns.PREVIEW_KIND, target, LifecycleRuns.PREVIEW_KIND + ":"
                    + target, LifecycleRuns.MAX_ATTEMPTS, now), now);
            return text;
        });
    }

    /** A preview as the planes see it: status IN_PROGRESS, COMPLETE or FAILED, and the totals once COMPLETE. */
    public record Preview(String policyText, String status, int expiringCount, int transitioningCount) {
        public boolean complete() { return status.equals(LifecyclePreviewRecord.Status.COMPLETE.name()); }
    }

    /** One image the preview acts on; {@code action} EXPIRE or TRANSITION, storage classes in the API's names. */
    public record Result(int position, io.berth.core.model.Digest digest, List<String> tags, Instant pushedAt,
                         String action, String targetStorageClass, int rulePriority, String storageClass) {
        static Result of(LifecyclePreviewResult r) {
            return new Result(r.position(), r.digest(), r.tags(), r.pushedAt(), r.action(), r.targetStorageClass(),
                    r.rulePriority(), r.storageClass());
        }
    }

    /** The repository's preview; LifecyclePolicyPreviewNotFound when it has had none. */
    public Preview get(RepositoryName name) {
        return metadata.read(tx -> tx.lifecyclePreviews().get(repository(tx, name).id())).map(p -> new Preview(
                p.policyText(), p.status().name(), p.expiringCount(), p.transitioningCount())).orElseThrow(() ->
                new RegistryException(ErrorCode.LIFECYCLE_POLICY_PREVIEW_NOT_FOUND, "Lifecycle policy preview does "
                        + "not exist for the repository with name '" + name + "' in the registry with id '"
                        + registryId + "'"));
    }

    /** Its results in evaluation order after {@code afterPosition} (-1 for the first), at most {@code limit}. */
    public List<Result> results(RepositoryName name, int afterPosition, int limit) {
        return metadata.read(tx -> tx.lifecyclePreviews().results(repository(tx, name).id(), afterPosition, limit))
                .stream().map(Result::of).toList();
    }

    private RepositoryRecord repository(MetadataStore.Tx tx, RepositoryName name) {
        return tx.repositories().get(registryId, name).orElseThrow(() -> new RegistryException(
                ErrorCode.NAME_UNKNOWN, "The repository with name '" + name + "' does not exist in the registry with "
                        + "id '" + registryId + "'", Map.of("name", name.value())));
    }
}
