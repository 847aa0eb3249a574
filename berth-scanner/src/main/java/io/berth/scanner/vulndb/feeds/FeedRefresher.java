package io.berth.scanner.vulndb.feeds;

import io.berth.scanner.vulndb.VulnerabilityStore;
import io.berth.scanner.vulndb.feeds.FeedStates.FeedState;
import io.berth.scanner.vulndb.imports.Format;
import io.berth.scanner.vulndb.imports.VulnImporter;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Keeps a configured feed current: a conditional GET ({@code If-None-Match} with the last ETag, else
 * {@code If-Modified-Since} with the last Last-Modified), and on a 200 an import of what came, replacing the
 * feed's source atomically as {@code berth vulndb import} does. An unchanged feed costs one 304 and no import.
 */
public final class FeedRefresher {
    /** What one check of a feed did: the source it replaced when it changed, else empty. */
    public record Outcome(String url, boolean changed, Optional<String> source, String summary) {}

    private final VulnerabilityStore store;
    private final FeedStates states;
    private final Clock clock;
    private final HttpClient http;

    public FeedRefresher(VulnerabilityStore store, FeedStates states, Clock clock, Duration timeout) {
        this.store = store;
        this.states = states;
        this.clock = clock;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(timeout)
                .build();
    }

    public Outcome refresh(URI url) throws IOException, InterruptedException {
        Optional<FeedState> last = states.get(url.toString());
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(10))
                .header("User-Agent", "berth-vulndb-feed").GET();
        last.map(FeedState::etag).ifPresent(e -> request.header("If-None-Match", e));
        if (last.isPresent() && last.get().etag() == null && last.get().lastModified() != null) {
            request.header("If-Modified-Since", last.get().lastModified());
        }
        Path dir = Files.createTempDirectory("berth-feed");
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            Instant now = clock.instant();
            try (InputStream in = response.body()) {
                if (response.statusCode() == 304 && last.isPresent()) {
                    states.put(new FeedState(url.toString(), last.get().etag(), last.get().lastModified(),
                            last.get().source(), now, last.get().changedAt(), null));
                    return new Outcome(url.toString(), false, Optional.empty(), "unchanged (304)");
                }
                if (response.statusCode() != 200) {
                    fail(url, last, now, "GET answered " + response.statusCode());
                    throw new IOException("feed " + url + ": GET answered " + response.statusCode());
                }
                String name = Path.of(url.getPath().isEmpty() ? "/feed" : url.getPath()).getFileName().toString();
                Path file = dir.resolve(name.isEmpty() ? "feed" : name);
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                Format format = VulnImporter.detect(file);
                String source = last.map(FeedState::source).filter(s -> s != null)
                        .orElse(VulnImporter.defaultSource(file, format));
                VulnImporter.Result result = new VulnImporter(store, clock).importPath(file, format, source,
                        (records, stored) -> { });
                if (result.status().isEmpty()) {
                    fail(url, last, now, "nothing importable");
                    throw new IOException("feed " + url + ": nothing importable; source " + source + " left as it was");
                }
                states.put(new FeedState(url.toString(), response.headers().firstValue("ETag").orElse(null),
                        response.headers().firstValue("Last-Modified").orElse(null), source, now, now, null));
                return new Outcome(url.toString(), true, Optional.of(source), result.summary().records()
                        + " records, " + result.summary().storedTotal() + " advisories into " + source);
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private void fail(URI url, Optional<FeedState> last, Instant now, String error) {
        states.put(new FeedState(url.toString(), last.map(FeedState::etag).orElse(null),
                last.map(FeedState::lastModified).orElse(null), last.map(FeedState::source).orElse(null), now,
                last.map(FeedState::changedAt).orElse(null), error));
    }
}
