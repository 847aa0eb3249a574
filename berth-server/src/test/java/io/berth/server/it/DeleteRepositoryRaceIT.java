package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/**
 * Issue #7 item 11: DeleteRepository --force racing with pushes answered pushes with 500 and logged foreign-key
 * failures at ERROR. Now every push answer is a success or a client error saying the repository (or the upload
 * session in it) is gone, and nothing is logged at ERROR.
 */
class DeleteRepositoryRaceIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    /** What a push may answer while its repository is deleted under it: success, or the thing is gone. */
    private static final List<String> GONE = List.of("NAME_UNKNOWN", "BLOB_UPLOAD_UNKNOWN", "BLOB_UNKNOWN",
            "MANIFEST_BLOB_UNKNOWN");

    @Test
    void deleteRepositoryForce_racingPushes_noServerErrorAndNoErrorLog() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> errors = new ListAppender<>();
        errors.start();
        root.addAppender(errors);
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        EcrClient ecr = server.ecr();
        try {
            List<Future<?>> pushers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                pushers.add(pool.submit(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        pushOnce("race/app", thread * 1_000_000 + i, answers, unexpected);
                    }
                    return null;
                }));
            }
            int deletes = 0;
            long end = System.nanoTime() + 4_000_000_000L;
            while (System.nanoTime() < end) {
                try {
                    ecr.deleteRepository(q -> q.repositoryName("race/app").force(true));
                    deletes++;
                } catch (RepositoryNotFoundException e) {
                    // the pushers have not re-created it yet
                }
                Thread.sleep(20);
            }
            stop.set(true);
            for (Future<?> f : pushers) {
                f.get();
            }
            assertThat(deletes).as("deletes that hit a repository").isPositive();
            System.out.printf("DeleteRepositoryRaceIT: %d deletes, push answers %s%n", deletes, answers);
        } finally {
            pool.shutdownNow();
            root.detachAppender(errors);
        }
        Map<String, Integer> summary = new TreeMap<>();
        answers.forEach((k, v) -> summary.put(k, v.get()));
        assertThat(unexpected).as("answers other than success or 'gone' (summary %s)", summary).isEmpty();
        assertThat(summary.keySet()).as("some pushes succeeded").anyMatch(k -> k.startsWith("201"));
        assertThat(errors.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                .map(ILoggingEvent::getFormattedMessage).toList()).as("ERROR log lines during the race").isEmpty();
    }

    /** A blob upload session (POST, PUT) and a manifest PUT; records each answer as "status code". */
    private static void pushOnce(String repo, long seed, Map<String, AtomicInteger> answers, List<String> unexpected)
            throws Exception {
        byte[] blob = ("layer " + seed).getBytes(StandardCharsets.UTF_8);
        Digest d = Digest.sha256Of(blob);
        HttpResponse<byte[]> start = server.send("POST", "/v2/" + repo + "/blobs/uploads/", null);
        if (!record(start, answers, unexpected) || start.statusCode() != 202) {
            return;
        }
        String location = start.headers().firstValue("Location").orElseThrow();
        HttpResponse<byte[]> put = server.send("PUT", location + "?digest=" + d, blob,
                "Content-Type", "application/octet-stream");
        if (!record(put, answers, unexpected) || put.statusCode() != 201) {
            return;
        }
        record(server.send("PUT", "/v2/" + repo + "/manifests/t" + (seed % 7), Fixtures.ociManifest(d, blob.length, d,
                blob.length).getBytes(StandardCharsets.UTF_8), "Content-Type", MediaTypes.OCI_MANIFEST), answers,
                unexpected);
    }

    private static boolean record(HttpResponse<byte[]> r, Map<String, AtomicInteger> answers, List<String> unexpected) {
        String body = TestServer.text(r);
        String code = GONE.stream().filter(c -> body.contains("\"" + c + "\"")).findFirst().orElse("");
        answers.computeIfAbsent(r.statusCode() + " " + code, k -> new AtomicInteger()).incrementAndGet();
        boolean ok = r.statusCode() / 100 == 2 || r.statusCode() / 100 == 4 && !code.isEmpty();
        if (!ok) {
            unexpected.add(TestServer.describe(r));
        }
        return ok;
    }
}
