package io.berth.core.scanning;

import io.berth.core.audit.AuditLog;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.event.EventRecorder;
import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.spi.meta.AuditEvent;
import io.berth.core.spi.meta.ImageScanRecord;
import io.berth.core.spi.meta.ImageStorageRecord;
import io.berth.core.spi.meta.ManifestRecord;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.RegistryEvent.Setting;
import io.berth.core.spi.meta.RepositoryRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Vulnerability scanning of one deployment's registries: the registry scanning configuration, what applies to each
 * repository, manual scans ({@code StartImageScan}), the scan job that scan on push and manual scans both run, and
 * the stored results. The engine that reads an image is behind {@link ImageScanEngine}.
 */
public final class ImageScanning {
    /** The job kind of one image's scan; its target is {@link #target}. */
    public static final String JOB_KIND = "image-scan";
    static final int MAX_ATTEMPTS = 3;
    /** ECR: one scan per image per 24 hours, the on-push scan included. */
    static final Duration SCAN_QUOTA = Duration.ofHours(24);
    private static final AuditEvent.UserIdentity SCANNER = new AuditEvent.UserIdentity("AWSService", null,
            EventRecorder.SCANNER, null, null);

    /** How the service queues a scan job (the job runner's enqueue, or a test's list). */
    public interface Enqueuer {
        void enqueue(String kind, String target, String uniqueKey, int maxAttempts);
    }

    private final MetadataStore metadata;
    private final Clock clock;
    private final EventRecorder events;
    private final AuditLog audit;
    private final ImageScanEngine engine;
    private volatile Enqueuer enqueuer;

    public ImageScanning(MetadataStore metadata, Clock clock, EventRecorder events, AuditLog audit,
                         ImageScanEngine engine) {
        this.metadata = metadata;
        this.clock = clock;
        this.events = events;
        this.audit = audit;
        this.engine = engine;
    }

    /** Set once the job runner exists (it is built after the services). */
    public void enqueueWith(Enqueuer e) { this.enqueuer = e; }

    // --- configuration ---

    public RegistryScanningConfiguration configuration(RegistryId registry) {
        return metadata.read(tx -> tx.scans().configuration(registry))
                .map(c -> new RegistryScanningConfiguration(ScanType.valueOf(c.scanType()),
                        ScanningJson.rules(c.rulesJson())))
                .orElse(RegistryScanningConfiguration.DEFAULT);
    }

    /** Replaces the registry's configuration; the caller validated it against ECR's constraints. */
    public void putConfiguration(RegistryId registry, RegistryScanningConfiguration c, String actor) {
        Instant now = clock.instant();
        metadata.write(tx -> {
            tx.scans().putConfiguration(registry, c.scanType().name(), ScanningJson.rules(c.rules()), now);
            events.append(tx, events.settingChanged(registry, null, Setting.SCANNING, c.scanType() + " "
                    + c.rules().size() + " rule(s)", actor));
            return null;
        });
    }

    /** The deprecated repository setting ({@code PutImageScanningConfiguration}); RepositoryNotFound if absent. */
    public void setScanOnPush(RegistryId registry, RepositoryName name, boolean scanOnPush, String actor) {
        metadata.write(tx -> {
            RepositoryRecord r = repository(tx, registry, name);
            tx.repositories().updateSettings(r.id(), r.settings().withScanOnPush(scanOnPush));
            events.append(tx, events.settingChanged(registry, name.value(), Setting.SCANNING,
                    "scanOnPush=" + scanOnPush, actor));
            return null;
        });
    }

    /** What applies to each named repository; empty for one that does not exist. */
    public Map<RepositoryName, Optional<EffectiveScanning>> effective(RegistryId registry,
                                                                     Collection<RepositoryName> names) {
        RegistryScanningConfiguration c = configuration(registry);
        Map<RepositoryName, Optional<EffectiveScanning>> out = new LinkedHashMap<>();
        metadata.read(tx -> {
            for (RepositoryName n : names) {
                out.put(n, tx.repositories().get(registry, n)
                        .map(r -> c.effective(n.value(), r.settings().scanOnPush())));
            }
            return null;
        });
        return out;
    }

    /** Whether a push to {@code repository} starts a scan (false for a repository that is gone). */
    public boolean scansOnPush(RegistryId registry, RepositoryName repository) {
        return effective(registry, List.of(repository)).get(repository).map(EffectiveScanning::scanOnPush)
                .orElse(false);
    }

    /** Whether {@code repository}'s images are rescanned when vulnerability data changes (ENHANCED, continuous). */
    public boolean scansContinuously(RegistryId registry, RepositoryName repository) {
        return effective(registry, List.of(repository)).get(repository)
                .map(e -> e.frequency() == ScanFrequency.CONTINUOUS_SCAN).orElse(false);
    }

    // --- scans ---

    /**
     * StartImageScan: refused under ENHANCED (it scans on push or continuously), for an archived image
     * (ImageArchived), for what is not an image (UnsupportedImageType), and within 24 hours of the image's last scan (LimitExceeded); otherwise the scan is
     * IN_PROGRESS when this returns and runs as a job.
     */
    public ImageScan start(RegistryId registry, RepositoryName name, Digest digest) {
        RegistryScanningConfiguration c = configuration(registry);
        if (c.scanType() == ScanType.ENHANCED) {
            throw new RegistryException(ErrorCode.VALIDATION, "StartImageScan is not supported when the registry's "
                    + "scan type is ENHANCED: images are scanned on push or continuously, as its rules say");
        }
        Instant now = clock.instant();
        metadata.write(tx -> {
            RepositoryRecord r = repository(tx, registry, name);
            ManifestRecord m = tx.manifests().get(r.id(), digest).orElseThrow(() -> imageNotFound(registry, name,
                    digest));
            var storage = tx.imageStorage().get(r.id(), digest);
            if (storage.isPresent() && storage.get().status() != ImageStorageRecord.ImageStatus.ACTIVE) {
                throw new RegistryException(ErrorCode.IMAGE_ARCHIVED, "The image with imageId {imageDigest:'"
                        + digest + "'} is " + storage.get().status().name().toLowerCase(java.util.Locale.ROOT)
                        + " in the archive storage class and cannot be scanned; restore it first");
            }
            if (m.artifactType() != null) {
                throw new RegistryException(ErrorCode.UNSUPPORTED_IMAGE_TYPE, "The image is of an unsupported type: "
                        + "artifact type " + m.artifactType() + " is not a container image");
            }
            Optional<ImageScanRecord> last = tx.scans().scan(r.id(), digest);
            if (last.isPresent() && last.get().startedAt().plus(SCAN_QUOTA).isAfter(now)) {
                throw new RegistryException(ErrorCode.LIMIT_EXCEEDED, "The scan quota per image has been exceeded. "
                        + "Wait and try again: the last scan of this image started at " + last.get().startedAt());
            }
            tx.scans().start(r.id(), digest, c.scanType().name(), now);
            return null;
        });
        queue(registry, name, digest);
        return metadata.read(tx -> tx.scans().scan(repository(tx, registry, name).id(), digest)).map(ImageScan::of)
                .orElseThrow();
    }

    /** Queues a scan of a pushed image (scan on push); its row says IN_PROGRESS when the job starts. */
    public void queue(RegistryId registry, RepositoryName name, Digest digest) {
        Enqueuer e = enqueuer;
        if (e == null) {
            throw new IllegalStateException("scanning has no job runner yet");
        }
        String target = target(registry, name, digest);
        e.enqueue(JOB_KIND, target, uniqueKey(target), MAX_ATTEMPTS);
    }

    /**
     * Queues the rescan of an image after a data update (continuous scanning): its stored inventory is matched
     * again ({@link ImageScanEngine#rematch}). It shares the image's one unfinished scan with any other: a push's
     * scan already queued reads the layers, which serves as well.
     */
    public void queueRematch(RegistryId registry, RepositoryName name, Digest digest) {
        Enqueuer e = enqueuer;
        if (e == null) {
            throw new IllegalStateException("scanning has no job runner yet");
        }
        String target = target(registry, name, digest);
        e.enqueue(JOB_KIND, target + REMATCH, uniqueKey(target), MAX_ATTEMPTS);
    }

    /**
     * The image's last scan, findings included; empty when it was never scanned. In a repository that scans
     * continuously, an image neither pushed nor pulled for 30 days shows SCAN_ELIGIBILITY_EXPIRED, as in ECR.
     */
    public Optional<ImageScan> scan(RegistryId registry, RepositoryName name, Digest digest) {
        record Found(ImageScan scan, Map<Digest, ImageTimes> times) {}
        return metadata.read(tx -> {
            RepositoryRecord r = repository(tx, registry, name);
            Map<Digest, ImageTimes> times = tx.manifests().get(r.id(), digest)
                    .map(m -> Map.of(digest, new ImageTimes(m.pushedAt(), m.lastPulledAt()))).orElse(Map.of());
            return tx.scans().scan(r.id(), digest).map(s -> new Found(ImageScan.of(s), times));
        }).map(f -> expiredWhere(registry, name, f.times()).test(digest) ? f.scan().eligibilityExpired() : f.scan());
    }

    /** When an image was pushed and last pulled (null: never), for the eligibility of its continuous scanning. */
    public record ImageTimes(Instant pushedAt, Instant lastPulledAt) {}

    /** The last scans of these images, for DescribeImages (SCAN_ELIGIBILITY_EXPIRED as {@link #scan} says). */
    public Map<Digest, ImageScan> summaries(RegistryId registry, RepositoryName name, Map<Digest, ImageTimes> images) {
        Map<Digest, ImageScan> out = new LinkedHashMap<>();
        java.util.function.Predicate<Digest> expired = expiredWhere(registry, name, images);
        metadata.read(tx -> tx.repositories().get(registry, name).map(r -> tx.scans().summaries(r.id(),
                images.keySet())).orElse(Map.of())).forEach((d, r) -> out.put(d, expired.test(d)
                ? ImageScan.of(r).eligibilityExpired() : ImageScan.of(r)));
        return out;
    }

    /** The images of {@code times} continuous scanning no longer covers (none unless the repository scans so). */
    private java.util.function.Predicate<Digest> expiredWhere(RegistryId registry, RepositoryName name,
                                                              Map<Digest, ImageTimes> times) {
        if (times.isEmpty() || !scansContinuously(registry, name)) {
            return d -> false;
        }
        Instant cutoff = clock.instant().minus(ContinuousRescans.ELIGIBILITY);
        return d -> times.containsKey(d) && !ContinuousRescans.eligible(times.get(d).pushedAt(),
                times.get(d).lastPulledAt(), cutoff);
    }

    private static List<Finding> findings(ImageScanRecord r) { return ScanningJson.findings(r.findings()); }

    /** The job: scans the image named by {@code target}; an image deleted meanwhile ends it quietly. */
    public void run(String target) throws Exception {
        Target t = Target.parse(target);
        Instant now = clock.instant();
        String scanType = configuration(t.registry).scanType().name();
        Optional<Instant> started = metadata.write(tx -> {
            Optional<RepositoryRecord> r = tx.repositories().get(t.registry, t.repository);
            if (r.isEmpty()) {
                return Optional.<Instant>empty();
            }
            Optional<ImageScanRecord> last = tx.scans().scan(r.get().id(), t.digest);
            if (last.isPresent() && last.get().status().equals("IN_PROGRESS")) {
                return Optional.of(last.get().startedAt()); // a manual start, or a retry of this job
            }
            return tx.scans().start(r.get().id(), t.digest, scanType, now) ? Optional.of(now)
                    : Optional.<Instant>empty();
        });
        if (started.isEmpty()) {
            return;
        }
        ScanOutcome outcome;
        try {
            outcome = t.rematch ? engine.rematch(t.registry, t.repository, t.digest)
                    : engine.scan(t.registry, t.repository, t.digest);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) { // the engine reports bad images as outcomes; anything else is a failed scan
            outcome = ScanOutcome.failed("the scan failed: " + e.getMessage());
        }
        finish(t, started.get(), scanType, outcome);
    }

    private void finish(Target t, Instant startedAt, String scanType, ScanOutcome o) {
        Instant done = clock.instant();
        Map<String, Integer> counts = ScanningJson.counts(o.findings());
        String detail = counts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
        boolean kept = metadata.write(tx -> {
            Optional<RepositoryRecord> r = tx.repositories().get(t.registry, t.repository);
            if (r.isEmpty()) {
                return false;
            }
            List<Finding> previous = tx.scans().scan(r.get().id(), t.digest).map(ImageScanning::findings)
                    .orElse(List.of());
            List<Finding> observed = observed(o.findings(), previous, done);
            ImageScanRecord result = new ImageScanRecord(t.digest, scanType, o.status(), o.description(),
                    startedAt, done, o.sourceUpdatedAt(), ScanningJson.countsText(counts),
                    ScanningJson.findings(observed));
            if (!tx.scans().finish(r.get().id(), t.digest, startedAt, result)) {
                return false;
            }
            if (o.status().equals("COMPLETE")) {
                tx.scans().putPackages(r.get().id(), t.digest, o.packages());
            }
            events.append(tx, events.scanned(t.registry, t.repository, t.digest, o.status(), detail));
            return true;
        });
        if (kept) {
            audit.record(new AuditEvent(done, "ImageScanCompleted", AuditEvent.SOURCE_ECR, SCANNER, null, null,
                    "{\"imageDigest\":\"" + t.digest + "\"}", "{\"status\":\"" + o.status() + "\",\"findings\":"
                    + o.findings().size() + "}", null, null, null, t.repository.value(), t.registry.value()));
        }
    }

    /**
     * The findings with their observation times: first observed when an earlier scan of the image already had the
     * same vulnerability in the same package, version and file, else now; last observed now.
     */
    static List<Finding> observed(List<Finding> found, List<Finding> previous, Instant now) {
        Map<String, Instant> first = new java.util.HashMap<>();
        for (Finding p : previous) {
            if (p.firstObservedAt() != null) {
                first.putIfAbsent(key(p), p.firstObservedAt());
            }
        }
        return found.stream().map(f -> new Finding(f.vulnerabilityId(), f.title(), f.description(), f.uri(),
                f.severity(), f.cvssScore(), f.cvssVector(), f.cvssVersion(), f.packageName(), f.packageVersion(),
                f.packageManager(), f.fixedInVersion(), f.source(), f.sourceUrl(), f.referenceUrls(), f.filePath(),
                first.getOrDefault(key(f), now), now)).toList();
    }

    private static String key(Finding f) {
        return f.vulnerabilityId() + "\u0000" + f.packageName() + "\u0000" + f.packageVersion() + "\u0000"
                + f.filePath();
    }

    /** One unfinished scan per image, however it was asked for (a push, a rescan, StartImageScan). */
    static String uniqueKey(String target) {
        return "scan:" + target;
    }

    static String target(RegistryId registry, RepositoryName name, Digest digest) {
        return registry.key() + "/" + name.value() + "@" + digest;
    }

    /** Marks a rescan's target (a space: in neither a repository name nor a digest). */
    static final String REMATCH = " rematch";

    private record Target(RegistryId registry, RepositoryName repository, Digest digest, boolean rematch) {
        static Target parse(String job) {
            boolean rematch = job.endsWith(REMATCH);
            String target = rematch ? job.substring(0, job.length() - REMATCH.length()) : job;
            int slash = target.indexOf('/');
            int at = target.lastIndexOf('@');
            if (slash < 0 || at < slash) {
                throw new IllegalArgumentException("not a scan target: " + target);
            }
            return new Target(RegistryId.ofKey(target.substring(0, slash)),
                    RepositoryName.of(target.substring(slash + 1, at)), Digest.parse(target.substring(at + 1)),
                    rematch);
        }
    }

    private static RepositoryRecord repository(MetadataStore.Tx tx, RegistryId registry, RepositoryName name) {
        return tx.repositories().get(registry, name).orElseThrow(() -> new RegistryException(ErrorCode.NAME_UNKNOWN,
                "The repository with name '" + name + "' does not exist in the registry with id '" + registry + "'"));
    }

    private static RegistryException imageNotFound(RegistryId registry, RepositoryName name, Digest digest) {
        return new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "The image with imageId {imageDigest:'" + digest
                + "'} does not exist within the repository with name '" + name + "' in the registry with id '"
                + registry + "'");
    }
}
