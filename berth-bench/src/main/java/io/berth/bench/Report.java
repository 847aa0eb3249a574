package io.berth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Collects the figures of both registries and renders the side-by-side markdown report with ratios and targets. */
final class Report {

    static final String BERTH = "berth";
    static final String DIST = "distribution";
    /** Berth again, with its metadata in PostgreSQL ({@code --postgres}). */
    static final String BERTH_PG = "berth-pg";

    private final Options opt;
    private final LocalDateTime started = LocalDateTime.now();
    private final Map<String, Map<Figure, List<Measurement>>> figures = new LinkedHashMap<>();
    private final List<String> loads = new ArrayList<>();
    private final Map<String, String> describe = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    Measurement sha;

    Report(Options opt) {
        this.opt = opt;
        figures.put(BERTH, new EnumMap<>(Figure.class));
        figures.put(DIST, new EnumMap<>(Figure.class));
        figures.put(BERTH_PG, new EnumMap<>(Figure.class));
    }

    /** Records a figure; with several rounds the report shows the median of the rounds' values. */
    void put(String registry, Figure f, Measurement m) {
        figures.get(registry).computeIfAbsent(f, k -> new ArrayList<>()).add(m);
    }

    /** Records the machine's load average around one registry's run, to make a noisy machine visible. */
    void load(String text) {
        loads.add(text);
    }

    private Measurement get(String registry, Figure f) {
        List<Measurement> ms = figures.get(registry).get(f);
        if (ms == null || ms.isEmpty()) {
            return null;
        }
        if (ms.size() == 1) {
            return ms.get(0);
        }
        double[] v = ms.stream().mapToDouble(Measurement::value).toArray();
        Measurement med = Measurement.median(v, ms.get(0).unit());
        double min = ms.stream().mapToDouble(Measurement::min).min().orElse(med.min());
        double max = ms.stream().mapToDouble(Measurement::max).max().orElse(med.max());
        return new Measurement(med.value(), min, max, v.length, med.unit(), "");
    }

    void describe(String registry, String text) {
        describe.put(registry, text);
    }

    private final List<String> access = new ArrayList<>();

    private String lifecycle;

    private String scanning;

    private String encryption;
    private String replication;

    private final List<String> catalogScale = new ArrayList<>();

    /** The catalog-at-scale table ({@link CatalogScaleBench}), rendered as a section of its own. */
    void catalogScale(List<String> markdown) {
        catalogScale.addAll(markdown);
    }

    /** The encryption-at-rest figures: KMS against AES256 repositories on the same server. */
    void encryption(String line) {
        this.encryption = line;
    }

    /** The replication lag figures ({@link ReplicationBench}). */
    void replication(String line) {
        this.replication = line;
    }

    /** The scanning figures: the line {@code berth bench-scanning} prints. */
    void scanning(String line) {
        this.scanning = line;
    }

    /** The lifecycle evaluation figure: the line {@code berth bench-lifecycle} prints. */
    void lifecycle(String line) {
        this.lifecycle = line;
    }

    /** The access-control cost table ({@link AccessBench}), rendered as a section of its own. */
    void access(List<String> markdown) {
        access.addAll(markdown);
    }

    void problem(String text) {
        problems.add(text);
    }

    private static String targetText(Figure f, Measurement sha) {
        return switch (f) {
            case STARTUP -> "≤ 1500 ms";
            case UPLOAD_MONO -> "≥ 3× and ≥ 0.8× JVM SHA-256"
                    + (sha == null ? "" : " (" + Measurement.fmt(0.8 * sha.value()) + " MiB/s)");
            case UPLOAD_CHUNKED -> "≥ 4×";
            case DOWNLOAD -> "≥ 1.3×";
            case PUSH_1, PUSH_N -> "≥ 5×";
            case MANIFEST_RPS -> "≥ 10×";
            case MANIFEST_P99 -> "≤ 5 ms";
            case CATALOG -> "≤ 1/5 of distribution's time (ratio ≥ 5×)";
            case PEAK_RSS -> "≤ 256 MiB";
            default -> "";
        };
    }

    /** TRUE/FALSE when the target can be judged from the figures present, null otherwise. */
    private static Boolean pass(Figure f, Measurement b, Measurement d, Measurement sha) {
        if (b == null) {
            return null;
        }
        double bv = b.value();
        Double ratio = d == null ? null : (f.higherIsBetter ? bv / d.value() : d.value() / bv);
        return switch (f) {
            case STARTUP -> bv <= 1500;
            case UPLOAD_MONO -> {
                if (ratio == null && sha == null) {
                    yield null;
                }
                yield (ratio == null || ratio >= 3) && (sha == null || bv >= 0.8 * sha.value());
            }
            case UPLOAD_CHUNKED -> ratio == null ? null : ratio >= 4;
            case DOWNLOAD -> ratio == null ? null : ratio >= 1.3;
            case PUSH_1, PUSH_N -> ratio == null ? null : ratio >= 5;
            case MANIFEST_RPS -> ratio == null ? null : ratio >= 10;
            case MANIFEST_P99 -> bv <= 5;
            case CATALOG -> ratio == null ? null : ratio >= 5;
            case PEAK_RSS -> bv <= 256;
            default -> null;
        };
    }

    String render(double totalSeconds) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Berth vs CNCF distribution — ")
                .append(started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))).append("\n\n");
        sb.append("- machine: ").append(Machine.summary()).append('\n');
        sb.append("- java: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append('\n');
        sb.append("- mode: ").append(opt.quick ? "**quick** (smoke test: sizes reduced, not comparable to targets)"
                : "full").append("; load generator for GET figures: ").append(opt.load)
                .append(" (warm-up ").append(opt.warmupSeconds).append(" s untimed)\n");
        describe.forEach((k, v) -> sb.append("- ").append(k).append(": `").append(v).append("`\n"));
        if (sha != null) {
            sb.append("- JVM single-thread SHA-256 (MessageDigest, 1 MiB updates, ").append(opt.shaMiB)
                    .append(" MiB): ").append(sha.display()).append('\n');
        }
        sb.append(String.format(Locale.ROOT, "- total run time: %.0f s%n", totalSeconds));
        if (opt.rounds > 1) {
            sb.append("- rounds: ").append(opt.rounds).append(" (the registries' order alternates; each value is ")
                    .append("the median of the rounds' values, the range spans all runs of all rounds)\n");
        }
        if (!loads.isEmpty()) {
            sb.append("- load average (1 min) before → after each registry's run: ").append(String.join("; ", loads))
                    .append(" (far above nproc = ").append(Runtime.getRuntime().availableProcessors())
                    .append(" means other work competed for the CPUs)\n");
        }
        sb.append("\nValues are medians of ").append(opt.runs).append(" runs where a range (min–max) is shown. ")
                .append("**Ratio** is berth/distribution for throughput figures (MiB/s, images/s, req/s) and ")
                .append("distribution/berth for time, latency and memory figures (ms, MiB), so a ratio above 1 ")
                .append("always means Berth is better. Targets are from performance-baseline.md; ")
                .append("PASS/SHORT is judged only where the figures needed are present.\n\n");
        // with --postgres, Berth's figures over each metadata database side by side, each with its ratio and verdict
        List<String> berths = figures.get(BERTH_PG).isEmpty() ? List.of(BERTH) : List.of(BERTH, BERTH_PG);
        boolean both = berths.size() == 2;
        sb.append(both ? "| figure | berth (SQLite) | berth (PostgreSQL) | distribution | ratio SQLite | ratio "
                + "PostgreSQL | target | result SQLite | result PostgreSQL |\n|---|---|---|---|---|---|---|---|---|\n"
                : "| figure | berth | distribution | ratio (>1 = Berth better) | target | result |\n|---|---|---|---|---|---|\n");
        List<String> notes = new ArrayList<>();
        for (Figure f : Figure.values()) {
            Measurement d = get(DIST, f);
            List<Measurement> bs = berths.stream().map(reg -> get(reg, f)).toList();
            if (d == null && bs.stream().allMatch(java.util.Objects::isNull)) {
                continue;
            }
            sb.append("| ").append(f.label(opt)).append(" (").append(f.unit).append(')');
            bs.forEach(b -> sb.append(" | ").append(b == null ? "—" : b.display()));
            sb.append(" | ").append(d == null ? "—" : d.display());
            for (Measurement b : bs) {
                String ratio = "—";
                if (b != null && d != null && b.value() > 0 && d.value() > 0) {
                    ratio = Measurement.fmt(f.higherIsBetter ? b.value() / d.value() : d.value() / b.value()) + "×";
                }
                sb.append(" | ").append(ratio);
            }
            sb.append(" | ").append(targetText(f, sha));
            for (Measurement b : bs) {
                Boolean ok = pass(f, b, d, sha);
                sb.append(" | ").append(ok == null ? "—" : ok ? "PASS" : "**SHORT**");
            }
            sb.append(" |\n");
            for (String reg : List.of(BERTH, BERTH_PG, DIST)) {
                for (Measurement m : figures.get(reg).getOrDefault(f, List.of())) {
                    if (!m.note().isEmpty()) {
                        notes.add(reg + ", " + f.label(opt) + ": " + m.note());
                    }
                }
            }
        }
        if (!notes.isEmpty()) {
            sb.append("\nNotes:\n\n");
            notes.forEach(n -> sb.append("- ").append(n).append('\n'));
        }
        if (!access.isEmpty()) {
            sb.append("\nAccess control cost (Berth, manifest GET by tag, root caller):\n\n");
            access.forEach(l -> sb.append(l).append('\n'));
        }
        if (!catalogScale.isEmpty()) {
            sb.append("\nCatalog at scale (Berth, SQLite; the repositories written straight through the metadata store "
                    + "by `./berth bench-catalog` before the server starts, not pushed; median ms of "
                    + opt.catalogRuns + " calls after one warm-up):\n\n");
            catalogScale.forEach(l -> sb.append(l).append('\n'));
        }
        if (lifecycle != null) {
            sb.append("\nLifecycle evaluation (Berth, one repository, ten-rule policy, gather through the metadata "
                    + "store (SQLite) + evaluate, in the launcher's 160 MiB heap; target under 5 s for 100,000 "
                    + "images):\n\n- ").append(lifecycle).append('\n');
        }
        if (scanning != null) {
            sb.append("\nScanning (Berth's scanner over the real Debian DSA and DLA lists; targets: a typical image "
                    + "under 2 s, rematching 10,000 stored inventories under 1 min):\n\n- ").append(scanning)
                    .append('\n');
        }
        if (encryption != null) {
            sb.append("\nEncryption at rest (Berth, monolithic upload and download of the same blob size into a KMS "
                    + "repository, envelope-encrypted under alias/aws/ecr, and an AES256 one, runs interleaved; "
                    + "target ≥ 0.7×):\n\n- ").append(encryption).append('\n');
        }
        if (replication != null) {
            sb.append("\nReplication lag (Berth, one server, a cross-region rule us-east-1 → eu-west-1, small images "
                    + "pushed at a steady rate, each polled at the destination every 10 ms):\n\n- ")
                    .append(replication).append('\n');
        }
        if (!problems.isEmpty()) {
            sb.append("\nProblems (figures missing above):\n\n");
            problems.forEach(p -> sb.append("- ").append(p.replace("\n", "\n  ")).append('\n'));
        }
        return sb.toString();
    }

    Path write(String markdown) throws IOException {
        Files.createDirectories(opt.outDir);
        Path file = opt.outDir.resolve(started.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".md");
        Files.writeString(file, markdown, StandardCharsets.UTF_8);
        return file;
    }
}
