package io.berth.server.cli;

import io.berth.core.audit.Redaction;
import io.berth.core.spi.meta.AuditEvent;
import io.berth.scanner.vulndb.SourceStatus;
import io.berth.scanner.vulndb.imports.Format;
import io.berth.scanner.vulndb.imports.ImportSummary;
import io.berth.scanner.vulndb.imports.VulnImporter;
import io.berth.core.scanning.ContinuousRescans;
import io.berth.server.boot.BerthApp;
import io.berth.server.boot.Stores;
import io.berth.server.boot.Version;
import io.berth.server.config.BerthConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth vulndb}: the vulnerability data scans match against, in the metadata database. {@code import}
 * replaces one source from a file, directory, zip or URL (atomically: a running server's scans see the old data or
 * the new, never half); {@code status} lists the sources. Safe while the server runs. An import is an admin
 * change: it is written to the audit trail as {@code ImportVulnerabilityData} (event source {@code berth-admin}).
 */
@Command(name = "vulndb", mixinStandardHelpOptions = true,
        description = "Import vulnerability data (OSV, Debian security tracker, Alpine secdb) and show what is stored.",
        subcommands = {VulnDbCommand.Import.class, VulnDbCommand.Status.class})
public final class VulnDbCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Replace one source with the records of PATH (a file, directory or .zip) or URL.")
    static final class Import implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Parameters(paramLabel = "PATH-or-URL", description = "OSV .json/.jsonl/.zip/directory, a DSA or DLA list, "
                + "the tracker's JSON export, an Alpine secdb .yaml/.json, or an http(s) URL of one")
        String location;

        @Option(names = "--format", paramLabel = "FORMAT",
                description = "osv, debian-list, debian-json or alpine-secdb (default: detected from the content)")
        String format;

        @Option(names = "--source", paramLabel = "NAME", description = "The source this import replaces (default: "
                + "debian-dsa, debian-dla, debian-tracker, alpine-secdb:<release>/<repo>, osv:<file name>)")
        String source;

        @Override
        public Integer call() throws IOException, InterruptedException {
            PrintStream out = System.out;
            PrintStream err = System.err;
            BerthConfig config = common.load(Map.of());
            Path downloaded = null;
            try {
                Path path;
                if (location.startsWith("http://") || location.startsWith("https://")) {
                    downloaded = download(URI.create(location), err);
                    path = downloaded;
                } else {
                    path = Path.of(location);
                    if (!Files.exists(path)) {
                        err.println("berth: " + location + " does not exist");
                        return 2;
                    }
                }
                Format f;
                try {
                    f = format != null ? Format.parse(format) : VulnImporter.detect(path);
                } catch (IllegalArgumentException | IOException e) {
                    err.println("berth: " + e.getMessage());
                    return 2;
                }
                String name = source != null ? source : VulnImporter.defaultSource(path, f);
                err.println("Importing " + location + " as " + f.cliName() + " into source " + name);
                Progress progress = Progress.onStderr("vulndb import");
                progress.phase("records read", -1);
                try (Stores stores = BerthApp.openStores(config)) {
                    VulnImporter.Result result;
                    try {
                        result = new VulnImporter(stores.vulnerabilities(), stores.clock()).importPath(path, f, name,
                                (records, stored) -> progress.update(records, "(" + stored + " advisories written)"));
                    } catch (IOException | RuntimeException e) {
                        progress.clear();
                        audit(stores, config, f, name, new ImportSummary(name, f.cliName()), "ImportFailed");
                        throw e;
                    }
                    progress.clear();
                    printSummary(out, result.summary());
                    boolean replaced = result.status().isPresent();
                    audit(stores, config, f, name, result.summary(), replaced ? null : "NothingImportable");
                    if (!replaced) {
                        err.println("berth: nothing importable in " + location + "; source " + name
                                + " left unchanged");
                        return 1;
                    }
                    // continuous scanning: the server rescans the images this data concerns
                    ContinuousRescans.afterImport(stores.metadata(), name, stores.clock().instant());
                    return 0;
                }
            } finally {
                if (downloaded != null) {
                    Files.deleteIfExists(downloaded);
                    Files.deleteIfExists(downloaded.getParent());
                }
            }
        }

        /** Durably, as every admin change; the location without user info or query (they may hold a secret). */
        private void audit(Stores stores, BerthConfig config, Format f, String name, ImportSummary s, String error) {
            Map<String, Object> parameters = new LinkedHashMap<>();
            parameters.put("location", location.replaceFirst("//[^/@]*@", "//").replaceFirst("\\?.*$", ""));
            parameters.put("format", f.cliName());
            parameters.put("source", name);
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("records", s.records());
            response.put("advisories", s.storedTotal());
            response.put("rejected", s.rejectedTotal());
            String account = config.auth().accountId().value();
            stores.audit().recordDurably(new AuditEvent(Instant.now(), "ImportVulnerabilityData",
                    AuditEvent.SOURCE_ADMIN, AuditEvent.UserIdentity.localAdmin(System.getProperty("user.name")),
                    null, "berth-cli/" + Version.VERSION, Redaction.parameters(parameters),
                    Redaction.parameters(response), error, error == null ? null : "source " + name
                    + " left unchanged", null, null, account));
        }

        /** To a private temp directory, under the URL's own file name (which names the default source). */
        private static Path download(URI uri, PrintStream err) throws IOException, InterruptedException {
            String file = Path.of(uri.getPath().isEmpty() ? "/download" : uri.getPath()).getFileName().toString();
            Path dir = Files.createTempDirectory("berth-vulndb");
            Path target = dir.resolve(file.isEmpty() ? "download" : file);
            HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(30)).build();
            err.println("Downloading " + uri);
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri)
                    .header("User-Agent", "berth-vulndb").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    Files.deleteIfExists(dir);
                    throw new IOException("GET " + uri + " answered " + response.statusCode());
                }
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        }

        private static void printSummary(PrintStream out, ImportSummary s) {
            out.printf("Source %s (%s): %d records read, %d advisories stored%n", TerminalText.cell(s.source()),
                    s.format(), s.records(), s.storedTotal());
            s.stored().forEach((eco, n) -> out.printf("  %-28s %8d advisories%n", TerminalText.cell(eco), n));
            s.skipped().forEach((why, n) -> out.printf("  skipped  %8d  %s%n", n, TerminalText.cell(why)));
            s.rejected().forEach((why, n) -> out.printf("  rejected %8d  %s%n", n, TerminalText.cell(why)));
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Each source with its advisory and vulnerability counts and its newest record's date.")
    static final class Status implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            BerthConfig config = common.load(Map.of());
            PrintStream out = System.out;
            try (Stores stores = BerthApp.openStores(config)) {
                List<SourceStatus> sources = stores.vulnerabilities().sources();
                if (sources.isEmpty()) {
                    out.println("No vulnerability data. Import some with: berth vulndb import PATH-or-URL");
                    return 0;
                }
                out.printf("%-32s %-13s %10s %10s %-12s %-20s %s%n", "SOURCE", "FORMAT", "ADVISORIES",
                        "VULNS", "NEWEST", "IMPORTED", "ECOSYSTEMS");
                for (SourceStatus s : sources) {
                    String ecosystems = String.join(", ", s.perEcosystem().entrySet().stream()
                            .map(e -> e.getKey() + " " + e.getValue()).toList());
                    out.printf(Locale.ROOT, "%-32s %-13s %10d %10d %-12s %-20s %s%n", TerminalText.cell(s.source()),
                            s.format(), s.advisories(), s.vulnerabilities(),
                            s.newest() == null ? "-" : s.newest().toString().substring(0, 10),
                            s.importedAt().toString().replaceFirst("\\.\\d+Z$", "Z"), TerminalText.cell(ecosystems));
                }
            }
            return 0;
        }
    }
}
