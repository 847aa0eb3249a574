package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.MediaTypes;
import io.berth.server.config.ThrottlingConfig;
import java.net.http.HttpResponse;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14 §4: per-account, per-operation quotas. The ECR API refuses with {@code ThrottlingException} (400, as
 * ECR), {@code /v2/} with 429 {@code TOOMANYREQUESTS}; both say {@code Retry-After}. A client that backs off and
 * retries gets through, and a refusal is cheap enough to answer thousands a second.
 */
class ThrottlingIT {
    static final String REPO = "throttled/app";

    @RegisterExtension
    static final TestServer SERVER = new TestServer().with(ThrottlingConfig.MODE, "custom")
            .with(ThrottlingConfig.RATES, "DescribeRepositories=2,BatchGetImage=2,ListImages=1,DescribeRegistry=1");

    @BeforeAll
    static void image() throws Exception {
        SERVER.ecr().createRepository(b -> b.repositoryName(REPO));
        Ecr.push(SERVER, REPO, "v1", 3);
    }

    static AwsRaw.Response describeRepositories() throws Exception {
        byte[] body = "{}".getBytes();
        return AwsRaw.exchange(SERVER.port(), AwsRaw.head(AwsRaw.with(AwsRaw.signed(SERVER.port(),
                "DescribeRepositories", body), "content-length", String.valueOf(body.length))), body, body.length);
    }

    @Test
    void ecrApi_overItsRate_throttlingException400_withRetryAfter() throws Exception {
        AwsRaw.Response refused = null;
        for (int i = 0; i < 20 && refused == null; i++) {
            AwsRaw.Response r = describeRepositories();
            if (r.status() != 200) {
                refused = r;
            }
        }
        assertThat(refused).as("20 calls at once against 2/s").isNotNull();
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.header("X-Amzn-Errortype")).isEqualTo("ThrottlingException");
        assertThat(refused.body()).contains("\"__type\":\"ThrottlingException\"").contains("Rate exceeded");
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 2);
    }

    /**
     * A forger who knows the root key's ID but not its secret: its calls are signed over another body, so their
     * signatures fail. However many it sends, the account's DescribeRegistry quota (1/s) stays whole: the token is
     * taken only once the signature holds.
     */
    @Test
    void forgedSignatures_doNotSpendTheAccountsQuota() throws Exception {
        byte[] signedOver = "{}".getBytes();
        byte[] sent = "[]".getBytes();
        for (int i = 0; i < 20; i++) {
            AwsRaw.Response forged = AwsRaw.exchange(SERVER.port(), AwsRaw.head(AwsRaw.with(AwsRaw.signed(
                    SERVER.port(), "DescribeRegistry", signedOver), "content-length", "2")), sent, sent.length);
            assertThat(forged.status()).as("forged call %d: %s", i, forged).isEqualTo(400);
            assertThat(forged.header("X-Amzn-Errortype")).isEqualTo("InvalidSignatureException");
        }
        AwsRaw.Response genuine = describeRegistry();
        assertThat(genuine.status()).as("the owner's call after 20 forged ones: %s", genuine).isEqualTo(200);
        AwsRaw.Response second = describeRegistry();
        assertThat(second.status()).as("the quota is live: a second call within the second is refused")
                .isEqualTo(400);
        assertThat(second.header("X-Amzn-Errortype")).isEqualTo("ThrottlingException");
        // with the bucket empty, a forged call is refused before its body is read, and still takes nothing
        AwsRaw.Response forged = AwsRaw.exchange(SERVER.port(), AwsRaw.head(AwsRaw.with(AwsRaw.signed(
                SERVER.port(), "DescribeRegistry", signedOver), "content-length", "2")), sent, sent.length);
        assertThat(forged.header("X-Amzn-Errortype")).isEqualTo("ThrottlingException");
    }

    static AwsRaw.Response describeRegistry() throws Exception {
        byte[] body = "{}".getBytes();
        return AwsRaw.exchange(SERVER.port(), AwsRaw.head(AwsRaw.with(AwsRaw.signed(SERVER.port(),
                "DescribeRegistry", body), "content-length", String.valueOf(body.length))), body, body.length);
    }

    @Test
    void ecrApi_retryWithBackoff_recovers() throws Exception {
        int throttled = 0;
        AwsRaw.Response last = null;
        long backoffMs = 50;
        for (int call = 0; call < 6; call++) { // six calls at 2/s: some are refused, each retried until it passes
            for (int attempt = 0; attempt < 20; attempt++) {
                last = describeRepositories();
                if (last.status() == 200) {
                    break;
                }
                assertThat(last.header("X-Amzn-Errortype")).isEqualTo("ThrottlingException");
                throttled++;
                Thread.sleep(backoffMs);
                backoffMs = Math.min(1_000, backoffMs * 2); // what the SDKs do: exponential, capped
            }
            assertThat(last.status()).as("call %d after retries: %s", call, last).isEqualTo(200);
            backoffMs = 50;
        }
        assertThat(throttled).as("the quota refused some attempts along the way").isGreaterThan(0);
    }

    @Test
    void awsSdk_retriesThrottlingException_byItself_andEveryCallSucceeds() throws Exception {
        double before = count("berth_requests_seconds_count{api=\"ecr\",operation=\"DescribeRepositories\",status=\"400\"}");
        try (EcrClient sdk = EcrClient.builder().endpointOverride(SERVER.uri("/")).region(Region.US_EAST_1)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        TestServer.ROOT_KEY_ID, TestServer.ROOT_SECRET)))
                // the SDK's standard strategy (ThrottlingException is a throttling error to it), with room to wait
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(10).build()))
                .build()) {
            for (int i = 0; i < 8; i++) { // 8 calls in a row against 2/s: some attempts must be refused
                assertThat(sdk.describeRepositories(b -> { }).repositories()).as("call %d", i).isNotEmpty();
            }
        }
        double refused = count("berth_requests_seconds_count{api=\"ecr\",operation=\"DescribeRepositories\",status=\"400\"}")
                - before;
        assertThat(refused).as("attempts the quota refused and the SDK retried").isPositive();
    }

    static double count(String series) {
        return SERVER.app().metrics().scrape().lines().filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void ociPlane_overItsRate_429TooManyRequests_withRetryAfter() throws Exception {
        HttpResponse<byte[]> refused = null;
        for (int i = 0; i < 20 && refused == null; i++) {
            HttpResponse<byte[]> r = SERVER.get("/v2/" + REPO + "/manifests/v1", "Accept", MediaTypes.OCI_MANIFEST);
            if (r.statusCode() != 200) {
                refused = r;
            }
        }
        assertThat(refused).as("20 manifest GETs at once against BatchGetImage 2/s").isNotNull();
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(TestServer.text(refused)).contains("\"code\":\"TOOMANYREQUESTS\"");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(Integer.parseInt(refused.headers().firstValue("Retry-After").get())).isBetween(1, 2);
        // an operation without a rate is not throttled
        String config = "/v2/" + REPO + "/blobs/" + Ecr.blobs(SERVER, REPO, 3).config();
        for (int i = 0; i < 10; i++) {
            assertThat(SERVER.head(config).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void refusals_areCheap() throws Exception {
        // ListImages (tags/list) at 1/s: after the first, every request in the loop is refused
        SERVER.get("/v2/" + REPO + "/tags/list");
        int n = 2_000;
        int refused = 0;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (SERVER.get("/v2/" + REPO + "/tags/list").statusCode() == 429) {
                refused++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = refused / seconds;
        System.out.printf("ThrottlingIT: %d of %d refused in %.2f s: %.0f refusals/s (one client, keep-alive)%n",
                refused, n, seconds, rate);
        // the bucket refills one token a second: on a slow (shared) machine the loop lasts longer and more pass
        assertThat(refused).isGreaterThanOrEqualTo(n - 2 - (int) Math.ceil(seconds));
        assertThat(rate).as("refusals per second, sequential on one connection").isGreaterThan(300);
        // the metrics count them under the operation, with the refusal's status
        assertThat(SERVER.app().metrics().scrape())
                .contains("berth_requests_seconds_count{api=\"oci\",operation=\"ListImages\",status=\"429\"}");
    }
}
