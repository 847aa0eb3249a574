package io.berth.scanner.vulndb.imports;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.berth.scanner.vulndb.Advisory;
import io.berth.scanner.vulndb.SourceStatus;
import io.berth.scanner.vulndb.VulnerabilityStore;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads one file, directory or zip of vulnerability data into one source of a {@link VulnerabilityStore}, replacing
 * that source atomically. The format is detected from the content unless given: a zip or a directory is OSV
 * records ({@code .json}, one record or an array, and {@code .jsonl}, one per line); a text file starting
 * {@code [dd Mon yyyy] DSA-} is a Debian list; JSON with {@code distroversion} is Alpine's secdb, YAML likewise;
 * JSON of packages whose issues have {@code releases} is the Debian tracker's export; any other JSON is OSV.
 *
 * <p>Nothing is replaced when the input cannot be read to its end (a truncated zip, an I/O error) or when not one
 * advisory was accepted from it: the source keeps its previous data.
 */
public final class VulnImporter {
    /**
     * A JSON document (a {@code .json} file or zip entry) larger than this is refused rather than read: OSV records
     * are kilobytes, and the launcher's heap is 160 MiB. JSON lines are streamed, each line under the same cap.
     */
    static final long MAX_DOCUMENT_BYTES = 16L << 20;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Told every 1,000 records and at the end. */
    @FunctionalInterface
    public interface Progress {
        void update(long records, long stored);
    }

    /** What an import did: the summary, and the source's status after it (empty when nothing was replaced). */
    public record Result(ImportSummary summary, Optional<SourceStatus> status) {}

    private final VulnerabilityStore store;
    private final Clock clock;

    public VulnImporter(VulnerabilityStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public static Format detect(Path path) throws IOException {
        if (Files.isDirectory(path) || isZip(path)) {
            return Format.OSV;
        }
        String head = head(path);
        if (head.matches("(?s)^\\[\\d{1,2} [A-Za-z]{3} \\d{4}\\].*")) {
            return Format.DEBIAN_LIST;
        }
        if (head.startsWith("{")) {
            if (head.contains("\"distroversion\"")) {
                return Format.ALPINE_SECDB;
            }
            if (head.contains("\"releases\"") && !head.contains("\"affected\"")) {
                return Format.DEBIAN_JSON;
            }
            return Format.OSV;
        }
        if (head.startsWith("[")) {
            return Format.OSV; // a JSON array of records
        }
        if (head.startsWith("---") || head.matches("(?s)^[a-z_]+:.*") && head.contains("distroversion:")) {
            return Format.ALPINE_SECDB;
        }
        throw new IOException("cannot tell the format of " + path + ": give --format (osv, debian-list, "
                + "debian-json, alpine-secdb)");
    }

    /** The source name an import of {@code path} replaces unless {@code --source} says otherwise. */
    public static String defaultSource(Path path, Format format) throws IOException {
        return switch (format) {
            case OSV -> "osv:" + baseName(path);
            case DEBIAN_LIST -> DebianLists.sourceOf(firstLine(path));
            case DEBIAN_JSON -> "debian-tracker";
            case ALPINE_SECDB -> AlpineSecdb.sourceOf(readTree(path));
        };
    }

    public Result importPath(Path path, Format format, String source, Progress progress) throws IOException {
        ImportSummary summary = new ImportSummary(source, format.cliName());
        try (VulnerabilityStore.Replacement replacement = store.replace(source, format.cliName())) {
            AdvisorySink sink = new AdvisorySink() {
                private long seen;

                @Override
                public void accept(Advisory a) {
                    replacement.add(a);
                    if (++seen % 1000 == 0) {
                        progress.update(summary.records(), seen);
                    }
                }
            };
            switch (format) {
                case OSV -> readOsv(path, source, summary, sink);
                case DEBIAN_LIST -> {
                    try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                        DebianLists.read(r, source, summary, sink);
                    }
                }
                case DEBIAN_JSON -> readDebianJson(path, source, summary, sink);
                case ALPINE_SECDB -> AlpineSecdb.read(readTree(path), source, summary, sink);
            }
            progress.update(summary.records(), summary.storedTotal());
            if (summary.storedTotal() == 0) {
                return new Result(summary, Optional.empty()); // closing abandons the empty generation
            }
            return new Result(summary, Optional.of(replacement.commit(clock.instant())));
        }
    }

    private static void readOsv(Path path, String source, ImportSummary summary, AdvisorySink sink)
            throws IOException {
        if (Files.isDirectory(path)) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(path)) {
                files = walk.filter(Files::isRegularFile).filter(p -> isOsvName(p.getFileName().toString()))
                        .sorted().toList();
            }
            for (Path f : files) {
                try (InputStream in = Files.newInputStream(f)) {
                    readOsvDocument(in, f.getFileName().toString(), Files.size(f), source, summary, sink);
                }
            }
        } else if (isZip(path)) {
            try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(path))) {
                ZipEntry e;
                while ((e = zip.getNextEntry()) != null) {
                    if (!e.isDirectory() && isOsvName(e.getName())) {
                        readOsvDocument(zip, e.getName(), e.getSize(), source, summary, sink);
                    }
                }
            }
        } else {
            try (InputStream in = Files.newInputStream(path)) {
                readOsvDocument(in, path.getFileName().toString(), Files.size(path), source, summary, sink);
            }
        }
    }

    private static boolean isOsvName(String name) {
        return name.endsWith(".json") || name.endsWith(".jsonl");
    }

    /**
     * One file or zip entry: JSON lines (streamed) when it ends in {@code .jsonl}, or read whole when its first line
     * alone is a JSON object and more follow; else one
     * JSON document (a record, or an array of records). Each line of JSON lines is a record of its own, so one
     * malformed line rejects one record.
     */
    private static void readOsvDocument(InputStream in, String name, long size, String source,
                                        ImportSummary summary, AdvisorySink sink) throws IOException {
        if (name.endsWith(".jsonl")) {
            // not closed here: a zip entry's stream is the zip's
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.length() > MAX_DOCUMENT_BYTES) {
                    summary.record();
                    summary.rejected("document larger than 16 MiB");
                } else if (!line.isBlank()) {
                    String record = line;
                    osvRecord(() -> JSON.readTree(record), source, summary, sink);
                }
            }
            return;
        }
        if (size > MAX_DOCUMENT_BYTES) {
            summary.record();
            summary.rejected("document larger than 16 MiB");
            return;
        }
        byte[] bytes = in.readNBytes((int) MAX_DOCUMENT_BYTES + 1);
        if (bytes.length > MAX_DOCUMENT_BYTES) {
            summary.record();
            summary.rejected("document larger than 16 MiB");
            return;
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        boolean lines = text.strip().indexOf('\n') > 0 && text.strip().startsWith("{")
                && isOneLineObject(text.strip().split("\n", 2)[0]);
        if (lines) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(bytes),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (!line.isBlank()) {
                        String record = line;
                        osvRecord(() -> JSON.readTree(record), source, summary, sink);
                    }
                }
            }
            return;
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            summary.record();
            summary.rejected("malformed JSON");
            return;
        }
        if (root != null && root.isArray()) {
            for (JsonNode r : root) {
                osvRecord(() -> r, source, summary, sink);
            }
        } else {
            osvRecord(() -> root, source, summary, sink);
        }
    }

    private static boolean isOneLineObject(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            return n != null && n.isObject();
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private interface NodeSupplier {
        JsonNode get() throws JsonProcessingException;
    }

    private static void osvRecord(NodeSupplier node, String source, ImportSummary summary, AdvisorySink sink) {
        summary.record();
        try {
            JsonNode r = node.get();
            if (r == null) {
                throw new RejectedRecord("malformed JSON", null);
            }
            for (Advisory a : OsvRecords.parse(r, source, summary)) {
                sink.accept(a);
                summary.stored(a.ecosystem() + (a.release().isEmpty() ? "" : ":" + a.release()));
            }
        } catch (JsonProcessingException e) {
            summary.rejected("malformed JSON");
        } catch (RejectedRecord e) {
            summary.rejected(e.reason());
        }
    }

    /** Streams the tracker's export one source package at a time: the full export is tens of megabytes. */
    private static void readDebianJson(Path path, String source, ImportSummary summary, AdvisorySink sink)
            throws IOException {
        JsonFactory factory = JSON.getFactory();
        try (JsonParser p = factory.createParser(path.toFile())) {
            p.setCodec(JSON);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(path + " is not a Debian tracker export (no top-level object)");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String pkg = p.currentName();
                p.nextToken();
                JsonNode issues = p.readValueAsTree();
                com.fasterxml.jackson.databind.node.ObjectNode one = JSON.createObjectNode();
                one.set(pkg, issues);
                if (issues == null || !issues.isObject()) {
                    summary.record();
                    summary.rejected("package without issues");
                    continue;
                }
                DebianTrackerJson.read(one, source, summary, sink);
            }
        }
    }

    private static JsonNode readTree(Path path) throws IOException {
        String head = head(path);
        return (head.startsWith("{") ? JSON : YAML).readTree(path.toFile());
    }

    private static boolean isZip(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
        }
    }

    private static String head(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            String s = new String(in.readNBytes(8192), StandardCharsets.UTF_8);
            return s.startsWith("\uFEFF") ? s.substring(1).stripLeading() : s.stripLeading();
        }
    }

    private static String firstLine(Path path) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    return line;
                }
            }
            return "";
        }
    }

    private static String baseName(Path path) {
        String n = path.toAbsolutePath().normalize().getFileName().toString();
        for (String ext : new String[] {".zip", ".jsonl", ".json"}) {
            if (n.endsWith(ext)) {
                return n.substring(0, n.length() - ext.length());
            }
        }
        return n;
    }
}
