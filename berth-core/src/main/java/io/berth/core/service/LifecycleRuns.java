package io.berth.core.service;

import io.berth.core.audit.AuditLog;
import io.berth.core.audit.Redaction;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.event.EventRecorder;
import io.berth.core.lifecycle.LifecycleDecision;
import io.berth.core.lifecycle.LifecycleEvaluator;
import io.berth.core.lifecycle.LifecycleImage;
import io.berth.core.lifecycle.LifecyclePolicy;
import io.berth.core.lifecycle.LifecyclePolicy.ActionType;
import io.berth.core.lifecycle.LifecyclePolicy.StorageClass;
import io.berth.core.lifecycle.LifecyclePolicyParser;
import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import io.berth.core.spi.meta.AuditEvent;
import io.berth.core.spi.meta.ImageSummary;
import io.berth.core.spi.meta.JobStore.NewJob;
import io.berth.core.spi.meta.ImageStorageRecord;
import io.berth.core.spi.meta.LifecyclePolicyRecord;
import io.berth.core.spi.meta.LifecyclePreviewRecord;
import io.berth.core.spi.meta.LifecyclePreviewResult;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.RegistryEvent.DeleteReason;
import io.berth.core.spi.meta.RepositoryRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lifecycle policies at work: the real evaluation of a repository (job kind {@link #EVALUATE_KIND}) and its dry run,
 * the preview ({@link #PREVIEW_KIND}). Both go through {@link #plan}: the same gathering of the repository's images
 * and the same {@link LifecycleEvaluator}, so a preview shows exactly what the next evaluation does.
 *
 * <p>Applying a plan follows the decisions in priority order, and within each the image's referrers first (deepest
 * first), then the image: a crash between two deletes never leaves a referrer whose subject is gone and which no
 * later evaluation would reach. An expiry is {@link ImageCatalog#deleteImage} with {@link DeleteReason#LIFECYCLE}
 * (an IMAGE_DELETED event in the delete's transaction) plus an audit record naming the rule; a transition goes to
 * {@link LifecycleTransitions}. An image an index lists is never deleted: the evaluator skips it, and the delete's
 * own guard refuses one that an index pushed meanwhile lists.
 */
public final class LifecycleRuns {
    /** Job kind: one real evaluation of one repository; the target is {@link #target}. */
    public static final String EVALUATE_KIND = "lifecycle";
    /** Job kind: one preview of one repository. */
    public static final String PREVIEW_KIND = "lifecycle-preview";
    /** The audit event of each action, CloudTrail's name for what ECR's lifecycle does. */
    public static final String AUDIT_EVENT = "PolicyExecutionEvent";
    /** A job that fails is tried this many times in all. */
    public static final int MAX_ATTEMPTS = 3;
    private static final int PAGE = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(LifecycleRuns.class);

    private final MetadataStore metadata;
    private final RegistryServices services;
    private final Clock clock;
    private final AuditLog audit;
    private final LifecycleTransitions transitions;
    private final LifecycleEvaluator evaluator = new LifecycleEvaluator();

    LifecycleRuns(MetadataStore metadata, RegistryServices services, Clock clock, AuditLog audit,
                  LifecycleTransitions transitions) {
        this.metadata = metadata;
        this.services = services;
        this.clock = clock;
        this.audit = audit;
        this.transitions = transitions;
    }

    /** What one real evaluation did. */
    public record Outcome(int decided, int expired, int transitioned, int skipped) {}

    /**
     * The one place a stored image becomes what the evaluator sees: its tags, push and pull times, whether an index
     * lists it, its subject, and from the archive storage class its class, activation time and archive time (an
     * image without a storage row is STANDARD and was never archived; one being restored is still ARCHIVE).
     */
    static LifecycleImage toLifecycleImage(ImageSummary s, ImageStorageRecord storage) {
        boolean archived = storage != null && storage.storageClass() == ImageStorageRecord.StorageClass.ARCHIVE;
        return new LifecycleImage(s.digest(), new java.util.HashSet<>(s.tags()),
                archived ? StorageClass.ARCHIVE : StorageClass.STANDARD, s.pushedAt(),
                storage == null ? null : storage.lastActivatedAt(), s.lastPulledAt(),
                archived ? storage.lastArchivedAt() : null, s.listedByIndex(), s.subject());
    }

    /** Every image of the repository, in pages of {@link #PAGE} without manifest content, in one snapshot. */
    public List<LifecycleImage> gather(long repositoryId) {
        return metadata.read(tx -> {
            List<LifecycleImage> images = new ArrayList<>();
            Digest after = null;
            while (true) {
                List<ImageSummary> page = tx.manifests().summaries(repositoryId, after, PAGE);
                Map<Digest, ImageStorageRecord> storage = tx.imageStorage().getAll(repositoryId,
                        page.stream().map(ImageSummary::digest).toList());
                page.forEach(s -> images.add(toLifecycleImage(s, storage.get(s.digest()))));
                if (page.size() < PAGE) {
                    return images;
                }
                after = page.get(page.size() - 1).digest();
            }
        });
    }

    /** Gathers and evaluates: what {@code policy} does to the repository at {@code now}, changing nothing. */
    public Plan plan(long repositoryId, LifecyclePolicy policy, Instant now) {
        List<LifecycleImage> images = gather(repositoryId);
        List<LifecycleDecision> decisions = evaluator.evaluate(policy, images, now);
        java.util.Set<Digest> wanted = new java.util.HashSet<>();
        decisions.forEach(d -> wanted.add(d.digest()));
        Map<Digest, LifecycleImage> decided = new HashMap<>();
        for (LifecycleImage i : images) {
            if (wanted.contains(i.digest())) {
                decided.put(i.digest(), i);
            }
        }
        return new Plan(images.size(), decisions, decided);
    }

    /** The decisions, and the decided images as they were gathered (tags, push time, storage class). */
    public record Plan(int imageCount, List<LifecycleDecision> decisions, Map<Digest, LifecycleImage> images) {}

    /** The real evaluation of one repository: plan, apply, mark evaluated. Nothing when it has no policy now. */
    public Outcome evaluate(RegistryId registry, RepositoryName name) {
        Optional<RepositoryRecord> repo = metadata.read(tx -> tx.repositories().get(registry, name));
        Optional<LifecyclePolicyRecord> policy = repo.flatMap(r -> metadata.read(tx ->
                tx.lifecyclePolicies().get(r.id())));
        if (policy.isEmpty()) {
            return new Outcome(0, 0, 0, 0); // deleted since the job was enqueued
        }
        Instant now = clock.instant();
        Plan plan = plan(repo.get().id(), LifecyclePolicyParser.parse(policy.get().text()), now);
        Outcome outcome = apply(registry, name, plan);
        metadata.write(tx -> tx.lifecyclePolicies().markEvaluated(repo.get().id(), now));
        return outcome;
    }

    private Outcome apply(RegistryId registry, RepositoryName name, Plan plan) {
        Map<Digest, List<LifecycleDecision>> referrers = new LinkedHashMap<>();
        for (LifecycleDecision d : plan.decisions()) {
            if (d.cascadedFrom() != null) {
                referrers.computeIfAbsent(d.cascadedFrom(), k -> new ArrayList<>()).add(d);
            }
        }
        ImageCatalog catalog = services.images(registry, EventRecorder.LIFECYCLE);
        int[] counts = new int[3]; // expired, transitioned, skipped
        for (LifecycleDecision d : plan.decisions()) {
            if (d.cascadedFrom() == null) {
                applyWithReferrers(registry, name, catalog, d, referrers, plan.images(), counts);
            }
        }
        return new Outcome(plan.decisions().size(), counts[0], counts[1], counts[2]);
    }

    /** Referrers first, then the image; an expiry whose referrers did not all go keeps the image. */
    private boolean applyWithReferrers(RegistryId registry, RepositoryName name, ImageCatalog catalog,
                                       LifecycleDecision d, Map<Digest, List<LifecycleDecision>> referrers,
                                       Map<Digest, LifecycleImage> planned, int[] counts) {
        boolean referrersDone = true;
        for (LifecycleDecision r : referrers.getOrDefault(d.digest(), List.of())) {
            referrersDone &= applyWithReferrers(registry, name, catalog, r, referrers, planned, counts);
        }
        if (d.action() == ActionType.EXPIRE && !referrersDone) {
            LOG.info("lifecycle: {}/{} {} kept: a referrer of it could not be expired", registry, name, d.digest());
            counts[2]++;
            return false;
        }
        boolean done = d.action() == ActionType.EXPIRE ? expire(registry, name, catalog, d)
                : transition(registry, name, d, planned.get(d.digest()));
        counts[done ? (d.action() == ActionType.EXPIRE ? 0 : 1) : 2]++;
        return done;
    }

    private boolean expire(RegistryId registry, RepositoryName name, ImageCatalog catalog, LifecycleDecision d) {
        Optional<List<Tag>> tags;
        try {
            tags = catalog.deleteImage(name, d.digest(), DeleteReason.LIFECYCLE);
        } catch (RegistryException e) {
            if (e.code() != ErrorCode.STILL_REFERENCED && e.code() != ErrorCode.NAME_UNKNOWN) {
                throw e;
            }
            LOG.info("lifecycle: {}/{} {} kept: {}", registry, name, d.digest(), e.getMessage());
            return false;
        }
        if (tags.isEmpty()) {
            return true; // deleted meanwhile by someone else: gone either way
        }
        audit(registry, name, d, tags.get().stream().map(Tag::value).toList());
        return true;
    }

    /** A transition through the archive storage class, with its audit record when it archived the image. */
    private boolean transition(RegistryId registry, RepositoryName name, LifecycleDecision d, LifecycleImage image) {
        if (!transitions.transition(registry, name, d)) {
            return false;
        }
        audit(registry, name, d, image == null ? List.of() : image.tags().stream().sorted().toList());
        return true;
    }

    /** The audit record of one lifecycle action, naming the rule (and the subject, for a referrer that followed). */
    private void audit(RegistryId registry, RepositoryName name, LifecycleDecision d, List<String> tags) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("repositoryName", name.value());
        parameters.put("imageDigest", d.digest().toString());
        parameters.put("imageTags", tags);
        parameters.put("actionType", d.action() == ActionType.EXPIRE ? "EXPIRE" : "TRANSITION");
        if (d.targetStorageClass() != null) {
            parameters.put("targetStorageClass", d.targetStorageClass().name());
        }
        parameters.put("rulePriority", d.rulePriority());
        if (d.cascadedFrom() != null) {
            parameters.put("subjectDigest", d.cascadedFrom().toString());
        }
        audit.record(new AuditEvent(clock.instant(), AUDIT_EVENT, AuditEvent.SOURCE_ECR,
                new AuditEvent.UserIdentity("AWSService", registry.value(), EventRecorder.LIFECYCLE, null, null),
                null, EventRecorder.LIFECYCLE, Redaction.parameters(parameters), null, null, null, null,
                name.value(), registry.value()));
    }

    /** Runs the repository's IN_PROGRESS preview, storing its results (COMPLETE) or why it failed (FAILED). */
    public void preview(RegistryId registry, RepositoryName name) {
        Optional<RepositoryRecord> repo = metadata.read(tx -> tx.repositories().get(registry, name));
        Optional<LifecyclePreviewRecord> preview = repo.flatMap(r -> metadata.read(tx ->
                tx.lifecyclePreviews().get(r.id())));
        if (preview.isEmpty() || preview.get().status() != LifecyclePreviewRecord.Status.IN_PROGRESS) {
            return; // the repository went, or a retry of a preview already stored
        }
        long id = repo.get().id();
        List<LifecyclePreviewResult> results;
        try {
            Plan plan = plan(id, LifecyclePolicyParser.parse(preview.get().policyText()), clock.instant());
            results = results(plan);
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw e; // cancelled or shutting down: the job resumes, the preview stays IN_PROGRESS
            }
            LOG.warn("lifecycle preview of {}/{} failed", registry, name, e);
            metadata.write(tx -> tx.lifecyclePreviews().fail(id, e.getClass().getSimpleName() + ": "
                    + e.getMessage(), clock.instant()));
            return;
        }
        metadata.write(tx -> tx.lifecyclePreviews().complete(id, results, clock.instant()));
    }

    private static List<LifecyclePreviewResult> results(Plan plan) {
        List<LifecyclePreviewResult> out = new ArrayList<>(plan.decisions().size());
        for (LifecycleDecision d : plan.decisions()) {
            LifecycleImage image = plan.images().get(d.digest());
            out.add(new LifecyclePreviewResult(out.size(), d.digest(), List.copyOf(new TreeSet<>(image.tags())),
                    image.pushedAt(), d.action().name(), d.targetStorageClass() == null ? null
                    : d.targetStorageClass().name(), d.rulePriority(), image.storageClass().name()));
        }
        return out;
    }

    /**
     * Enqueues an evaluation of every repository that has a policy (the scheduled pass); a repository whose last
     * evaluation has not finished keeps that one. Returns how many were enqueued.
     */
    public int enqueueEvaluations() {
        int enqueued = 0;
        long after = 0;
        while (true) {
            long cursor = after;
            List<RepositoryRecord> page = metadata.read(tx -> tx.lifecyclePolicies().repositoriesWithPolicy(cursor,
                    PAGE));
            Instant now = clock.instant();
            enqueued += metadata.write(tx -> {
                int n = 0;
                for (RepositoryRecord r : page) {
                    String target = target(r.registryId(), r.name());
                    if (tx.jobs().enqueue(new NewJob(EVALUATE_KIND, target, EVALUATE_KIND + ":" + target,
                            MAX_ATTEMPTS, now), now).isPresent()) {
                        n++;
                    }
                }
                return n;
            });
            if (page.size() < PAGE) {
                return enqueued;
            }
            after = page.get(page.size() - 1).id();
        }
    }

    /** A job's target: {@code <registry id>/<repository name>}. */
    public static String target(RegistryId registry, RepositoryName name) {
        return registry.key() + "/" + name.value();
    }

    public static RegistryId registryOf(String target) {
        return RegistryId.ofKey(target.substring(0, target.indexOf('/')));
    }

    public static RepositoryName repositoryOf(String target) {
        return RepositoryName.of(target.substring(target.indexOf('/') + 1));
    }
}
