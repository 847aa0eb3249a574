package io.berth.server.cli;

import io.berth.core.audit.AuditLog;
import io.berth.core.lifecycle.LifecyclePolicyParser;
import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import io.berth.core.service.LifecycleRuns;
import io.berth.core.service.LifecycleTransitions;
import io.berth.core.spi.meta.ManifestRecord;
import io.berth.server.boot.BerthApp;
import io.berth.server.boot.Stores;
import io.berth.server.config.BerthConfig;
import io.berth.server.config.ConfigLoader;
import io.berth.server.config.StorageConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth bench-lifecycle}: the lifecycle evaluation figure of the benchmark (berth-bench runs it). Fills a
 * throw-away SQLite database with one repository of {@code --images} images (two thirds tagged under eight tag
 * families, a twentieth referrers, pushed over a year, a third pulled), then times {@link LifecycleRuns#plan} with
 * a ten-rule policy: the gathering through the metadata store and the evaluation that the scheduled job and the
 * preview both run. The launcher's heap cap (-Xmx160m) is the memory bound it runs in; the peak heap is printed.
 */
@Command(name = "bench-lifecycle", mixinStandardHelpOptions = true,
        description = "Benchmark lifecycle evaluation (gather + evaluate) on a throw-away database.")
public final class LifecycleBenchCommand implements Callable<Integer> {
    /** Ten rules, every kind of selection; valid under ECR's rules (unique prefixes, one untagged, any last). */
    static final String POLICY = """
            {"rules":[
             {"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["rel-a"],"countType":"sinceImagePushed","countUnit":"days","countNumber":300},"action":{"type":"expire"}},
             {"rulePriority":2,"selection":{"tagStatus":"tagged","tagPrefixList":["rel-b"],"countType":"imageCountMoreThan","countNumber":1000},"action":{"type":"expire"}},
             {"rulePriority":3,"selection":{"tagStatus":"tagged","tagPatternList":["x-*-c"],"countType":"sinceImagePushed","countUnit":"days","countNumber":100},"action":{"type":"expire"}},
             {"rulePriority":4,"selection":{"tagStatus":"tagged","tagPrefixList":["dev"],"countType":"imageCountMoreThan","countNumber":5000},"action":{"type":"expire"}},
             {"rulePriority":5,"selection":{"tagStatus":"tagged","tagPatternList":["arc-*"],"countType":"sinceImagePulled","countUnit":"days","countNumber":30},"action":{"type":"transition","targetStorageClass":"archive"}},
             {"rulePriority":6,"selection":{"tagStatus":"tagged","tagPrefixList":["hot"],"countType":"sinceImagePushed","countUnit":"days","countNumber":10},"action":{"type":"expire"}},
             {"rulePriority":7,"selection":{"tagStatus":"tagged","tagPrefixList":["feat"],"countType":"imageCountMoreThan","countNumber":100},"action":{"type":"expire"}},
             {"rulePriority":8,"selection":{"tagStatus":"tagged","tagPrefixList":["tmp"],"countType":"sinceImagePushed","countUnit":"days","countNumber":1},"action":{"type":"expire"}},
             {"rulePriority":9,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":30},"action":{"type":"expire"}},
             {"rulePriority":10,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":50000},"action":{"type":"expire"}}]}""";
    private static final String[] FAMILIES = {"rel-a-", "rel-b-", "x-", "dev-", "arc-", "hot-", "feat-", "tmp-"};
    private static final int BATCH = 5000;

    @Option(names = "--images", paramLabel = "N", description = "Images in the repository (default 100000)")
    int images = 100_000;

    @Option(names = "--runs", paramLabel = "N", description = "Timed evaluations; the median is reported (default 3)")
    int runs = 3;

    @Override
    public Integer call() throws Exception {
        Path data = Files.createTempDirectory("berth-bench-lifecycle");
        try {
            BerthConfig config = ConfigLoader.load(Optional.empty(), Map.of(), Map.of(StorageConfig.DATA.name(),
                    data.toString()));
            try (Stores stores = BerthApp.openStores(config)) {
                long fill = System.nanoTime();
                long repoId = fill(stores, Instant.now());
                double fillSeconds = (System.nanoTime() - fill) / 1e9;
                LifecycleRuns lifecycle = stores.services().lifecycleRuns(AuditLog.NONE,
                        LifecycleTransitions.archivingWith(stores.services()));
                var policy = LifecyclePolicyParser.parse(POLICY);
                lifecycle.plan(repoId, policy, Instant.now()); // warm-up, untimed
                resetPeaks();
                double[] ms = new double[runs];
                int decided = 0;
                for (int i = 0; i < runs; i++) {
                    long t0 = System.nanoTime();
                    decided = lifecycle.plan(repoId, policy, Instant.now()).decisions().size();
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
                Arrays.sort(ms);
                double[] gatherMs = new double[runs];
                for (int i = 0; i < runs; i++) {
                    long t0 = System.nanoTime();
                    lifecycle.gather(repoId);
                    gatherMs[i] = (System.nanoTime() - t0) / 1e6;
                }
                Arrays.sort(gatherMs);
                System.out.printf(Locale.ROOT, "bench-lifecycle: %d images, %d rules: gather+evaluate median %.0f ms "
                                + "(min %.0f, max %.0f, %d runs; the gather alone %.0f ms); %d decisions; peak heap %d MiB of max %d MiB; "
                                + "filling the database took %.1f s%n", images, policy.rules().size(),
                        ms[ms.length / 2], ms[0], ms[ms.length - 1], runs, gatherMs[runs / 2], decided, peakHeapMiB(),
                        Runtime.getRuntime().maxMemory() >> 20, fillSeconds);
            }
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    private long fill(Stores stores, Instant now) {
        RegistryId registry = RegistryId.DEFAULT;
        RepositoryName name = RepositoryName.of("bench/lifecycle");
        long repoId = stores.metadata().write(tx -> tx.repositories().getOrCreate(registry, name, now)).id();
        Digest previous = null;
        for (int from = 0; from < images; from += BATCH) {
            int start = from;
            Digest[] last = {previous};
            stores.metadata().write(tx -> {
                for (int i = start; i < Math.min(images, start + BATCH); i++) {
                    byte[] content = ("{\"bench\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                    Digest d = Digest.sha256Of(content);
                    Instant pushed = now.minus(Duration.ofMinutes((long) i * 525_600L / images));
                    Digest subject = i % 20 == 19 ? last[0] : null;
                    tx.manifests().putIfAbsent(repoId, new ManifestRecord(d, MediaTypes.OCI_MANIFEST, null, subject,
                            content, 1000, pushed), Set.of(), Set.of());
                    if (i % 3 == 0) {
                        tx.manifests().recordPull(repoId, d, now.minus(Duration.ofDays(i % 90)));
                    }
                    if (i % 3 != 2 && subject == null) {
                        String family = FAMILIES[i % FAMILIES.length];
                        String tag = family.equals("x-") ? "x-" + i + "-c" : family + i;
                        tx.tags().put(repoId, Tag.of(tag), d, now);
                    }
                    last[0] = d;
                }
                return null;
            });
            previous = last[0];
        }
        return repoId;
    }

    private static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeapMiB() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak >> 20;
    }
}
