package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.berth.scanner.vulndb.SourceStatus;
import io.berth.server.config.ScanningConfig;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A configured feed (scanning.feeds) through the real server: fetched at start, then every second conditionally
 * (If-None-Match), so an unchanged feed is a 304 and no import, and a changed one replaces its source. The feed is
 * a local HTTP server serving the DSA-list excerpt; the changed version adds a record made up for the test.
 */
class VulnFeedIT {
    static final AtomicReference<String> body = new AtomicReference<>();
    static final AtomicReference<String> etag = new AtomicReference<>("\"v1\"");
    static final List<String> conditions = new CopyOnWriteArrayList<>();
    static final HttpServer feed = start();

    @RegisterExtension
    static final TestServer server = new TestServer()
            .with(ScanningConfig.FEEDS, "http://127.0.0.1:" + feed.getAddress().getPort() + "/data/DSA/list")
            .with(ScanningConfig.FEED_INTERVAL, "1s");

    static HttpServer start() {
        try {
            body.set(Files.readString(Path.of(VulnFeedIT.class.getResource("/scanning/DSA-list-excerpt").toURI())));
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.createContext("/data/DSA/list", x -> {
                String inm = x.getRequestHeaders().getFirst("If-None-Match");
                conditions.add(inm == null ? "-" : inm);
                if (etag.get().equals(inm)) {
                    x.sendResponseHeaders(304, -1);
                } else {
                    byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
                    x.getResponseHeaders().add("ETag", etag.get());
                    x.sendResponseHeaders(200, b.length);
                    x.getResponseBody().write(b);
                }
                x.close();
            });
            s.start();
            return s;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        feed.stop(0);
    }

    private static Optional<SourceStatus> source() {
        return server.app().stores().vulnerabilities().sources().stream()
                .filter(s -> s.source().equals("debian-dsa")).findFirst();
    }

    private static void await(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s; requests so far %s", what, conditions)
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void fetchedAtStart_thenConditionally_andReimportedOnlyWhenItChanged() throws Exception {
        await("the import at start", () -> source().isPresent());
        SourceStatus first = source().orElseThrow();
        assertThat(first.vulnerabilities()).as("DSA-5343-1 and DSA-5338-1").isEqualTo(2);
        await("two conditional checks", () -> conditions.stream().filter("\"v1\""::equals).count() >= 2);
        assertThat(conditions.get(0)).as("the first fetch is unconditional").isEqualTo("-");
        assertThat(source().orElseThrow().importedAt()).as("no import on a 304").isEqualTo(first.importedAt());

        body.set(body.get() + "[01 Dec 2026] DSA-9998-1 zlib - security update\n\t{CVE-2026-99998}\n"
                + "\t[bullseye] - zlib 1:1.2.11.dfsg-2+deb11u3\n");
        etag.set("\"v2\"");
        await("the changed feed's import", () -> source().orElseThrow().vulnerabilities() == 3);
        assertThat(source().orElseThrow().importedAt()).isAfter(first.importedAt());
        await("a check with the new ETag", () -> conditions.contains("\"v2\""));
    }
}
