package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.MediaTypes;
import io.berth.server.config.ManagementConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14 §2: {@code /metrics} after real requests on both planes has the request, byte, store, job, JVM and
 * process meters with bounded labels (no repository names, no digests, no client-chosen operation names); it is
 * open on the management port and behind the bearer token on the main port, and absent there without a token.
 */
class MetricsIT {
    static final String TOKEN = "metrics-token-0123456789";
    static final String REPO = "team-secret-7/app-alpha";

    @RegisterExtension
    static final TestServer SERVER = new TestServer().with(ManagementConfig.LISTEN, "127.0.0.1:0")
            .with(ManagementConfig.TOKEN, TOKEN);

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static HttpResponse<String> management(String path) throws Exception {
        URI base = SERVER.app().management().orElseThrow().uri();
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + base.getPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void afterRequests_metricsHaveEveryFamily_withBoundedLabels() throws Exception {
        SERVER.ecr().createRepository(b -> b.repositoryName(REPO));
        Ecr.Pushed pushed = Ecr.push(SERVER, REPO, "v1", 1);
        assertThat(SERVER.get("/v2/" + REPO + "/blobs/" + pushed.config()).statusCode()).isEqualTo(200);
        assertThat(SERVER.get("/v2/" + REPO + "/manifests/v1", "Accept", MediaTypes.OCI_MANIFEST).statusCode())
                .isEqualTo(200);
        assertThat(SERVER.get("/v2/" + REPO + "/manifests/nope", "Accept", MediaTypes.OCI_MANIFEST).statusCode())
                .isEqualTo(404);
        SERVER.ecr().describeRepositories(b -> { });
        // an authenticated call naming an operation ECR does not have: its name must not become a label
        AwsRaw.Response unknown = AwsRaw.exchange(SERVER.port(), AwsRaw.head(AwsRaw.with(AwsRaw.signed(
                SERVER.port(), "NoSuchOperationZq", "{}".getBytes()), "content-length", "2")), "{}".getBytes(), 2);
        assertThat(unknown.status()).isEqualTo(400);
        SERVER.app().sampleGauges();

        HttpResponse<String> r = management("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        String m = r.body();
        assertThat(m).contains("berth_requests_seconds_count{api=\"oci\",operation=\"PutImage\",status=\"201\"}")
                .contains("berth_requests_seconds_count{api=\"oci\",operation=\"BatchGetImage\",status=\"200\"}")
                .contains("berth_requests_seconds_count{api=\"oci\",operation=\"BatchGetImage\",status=\"404\"}")
                .contains("berth_requests_seconds_count{api=\"oci\",operation=\"InitiateLayerUpload\",status=\"201\"}")
                .contains("berth_requests_seconds_count{api=\"ecr\",operation=\"CreateRepository\",status=\"200\"}")
                .contains("berth_requests_seconds_count{api=\"ecr\",operation=\"DescribeRepositories\",status=\"200\"}")
                .contains("berth_requests_seconds_count{api=\"ecr\",operation=\"unknown\",status=\"400\"}")
                .contains("berth_requests_seconds_bucket{api=\"oci\",operation=\"PutImage\",status=\"201\",le=")
                .contains("berth_http_received_bytes_total{api=\"oci\"}")
                .contains("berth_http_sent_bytes_total{api=\"oci\"}")
                .contains("berth_blobstore_seconds_count{operation=\"start_upload\",outcome=\"ok\"}")
                .contains("berth_blobstore_seconds_count{operation=\"commit\",outcome=\"ok\"}")
                .contains("berth_blobstore_seconds_count{operation=\"open\",outcome=\"ok\"}")
                .contains("berth_metadata_seconds_count{operation=\"read\",outcome=\"ok\"}")
                .contains("berth_metadata_seconds_count{operation=\"write\",outcome=\"ok\"}")
                .contains("berth_uploads_open ")
                .contains("berth_gc_runs_total ").contains("berth_gc_freed_bytes_total ")
                .contains("jvm_memory_used_bytes{").contains("jvm_threads_live_threads ")
                .contains("process_uptime_seconds ").contains("process_cpu_usage ");
        assertThat(m).as("no repository names, digests or client-chosen operation names in labels")
                .doesNotContain("team-secret-7").doesNotContain("app-alpha").doesNotContain("sha256:")
                .doesNotContain("NoSuchOperationZq");
        assertThat(receivedBytes(m)).as("pushed bytes counted").isGreaterThan(0);
    }

    @Test
    void managementPort_servesProbes_andNothingElse() throws Exception {
        assertThat(management("/healthz").statusCode()).isEqualTo(200);
        assertThat(management("/readyz").statusCode()).isEqualTo(200);
        assertThat(management("/v2/").statusCode()).as("no registry on the management port").isEqualTo(404);
        assertThat(management("/").statusCode()).isEqualTo(404);
    }

    @Test
    void mainPort_needsTheBearerToken() throws Exception {
        HttpResponse<byte[]> none = SERVER.send(SERVER.anonymous("/metrics"));
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(TestServer.text(none)).doesNotContain("berth_requests");
        assertThat(SERVER.send(SERVER.anonymous("/metrics").header("Authorization", "Bearer wrong-token-xxxxxxx"))
                .statusCode()).isEqualTo(401);
        assertThat(SERVER.send(SERVER.anonymous("/metrics").header("Authorization", SERVER.basicAuth()))
                .statusCode()).as("registry credentials are not the metrics token").isEqualTo(401);
        HttpResponse<byte[]> ok = SERVER.send(SERVER.anonymous("/metrics").header("Authorization",
                "Bearer " + TOKEN));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(TestServer.text(ok)).contains("berth_requests_seconds_count{api=\"management\"");
    }

    @Test
    void gcPass_isCounted_andEveryMetricTheDashboardQueriesExists() throws Exception {
        SERVER.app().jobs().enqueue("gc", "", "gc:metrics-it", 1);
        long deadline = System.currentTimeMillis() + 30_000;
        String m = SERVER.app().metrics().scrape();
        // the pass counts itself inside the job; the job's timer is recorded after it returns: wait for both
        String jobTimer = "berth_jobs_runs_seconds_count{kind=\"gc\",outcome=\"ok\"} 1";
        while (!(m.contains("berth_gc_runs_total 1.0") && m.contains(jobTimer))
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            m = SERVER.app().metrics().scrape();
        }
        assertThat(m).contains("berth_gc_runs_total 1.0").contains(jobTimer);
        String dashboard = Files.readString(Path.of("..", "ops", "grafana", "berth.json"));
        Set<String> names = new TreeSet<>();
        Matcher names0 = Pattern.compile("\\b((?:berth|jvm|process|system)_[a-z_]+)").matcher(dashboard);
        while (names0.find()) {
            names.add(names0.group(1));
        }
        // gauges that exist only while jobs are unfinished, and JVM pauses only after a collection
        names.removeAll(Set.of("berth_jobs", "jvm_gc_pause_seconds_sum"));
        assertThat(names).as("the dashboard's metric names").hasSizeGreaterThan(12);
        String scraped = m;
        assertThat(names).allSatisfy(n -> assertThat(scraped).as("metric %s", n).contains("\n" + n));
    }

    @Test
    void scrapesInATightLoop_doNotHoldUpRequests() throws Exception {
        Ecr.push(SERVER, REPO + "-busy", "v1", 2);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger scrapes = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> scrapers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        if (management("/metrics").statusCode() == 200) {
                            scrapes.incrementAndGet();
                        }
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            t.start();
            scrapers.add(t);
        }
        try {
            long start = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                assertThat(SERVER.get("/v2/" + REPO + "-busy/manifests/v1", "Accept", MediaTypes.OCI_MANIFEST)
                        .statusCode()).isEqualTo(200);
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(scrapes.get()).as("scrapes ran alongside").isGreaterThan(3);
            assertThat(ms).as("200 manifest GETs during continuous scrapes (%d scrapes)", scrapes.get())
                    .isLessThan(30_000);
        } finally {
            stop.set(true);
            for (Thread t : scrapers) {
                t.join(10_000);
            }
        }
    }

    static double receivedBytes(String metrics) {
        return metrics.lines().filter(l -> l.startsWith("berth_http_received_bytes_total{api=\"oci\"}"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
