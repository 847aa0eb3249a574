package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.core.model.RegistryId;
import io.berth.server.access.Policies;
import io.berth.server.auth.Identities;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageSigningStatus;
import software.amazon.awssdk.services.ecr.model.SigningRepositoryFilter;
import software.amazon.awssdk.services.ecr.model.SigningRule;

/**
 * ECR signs on push "using the identity of the entity pushing the image": the pusher needs
 * {@code signer:SignPayload} on the profile. Through the real server, IAM users with the same push rights push over
 * /v2; the one without SignPayload (or allowed it on another profile only) gets FAILED SIGNING_PERMISSION_DENIED with
 * the reason and no signature, the one allowed it on this profile gets COMPLETE, and the signing job names the pusher
 * as its requester (DescribeSigningJob), as does the root's.
 */
class SigningPermissionIT {
    @RegisterExtension
    static final TestServer server = new TestServer();
    static final RegistryId A = new RegistryId(TestServer.ACCOUNT);
    static final String PUSH = "{\"Effect\":\"Allow\",\"Action\":[\"ecr:InitiateLayerUpload\",\"ecr:UploadLayerPart\","
            + "\"ecr:CompleteLayerUpload\",\"ecr:PutImage\",\"ecr:BatchCheckLayerAvailability\",\"ecr:BatchGetImage\","
            + "\"ecr:GetDownloadUrlForLayer\",\"ecr:CreateRepository\"],\"Resource\":\"*\"}";
    private static EcrClient ecr;
    private static SignerCalls signer;
    private static String profileArn;
    private static String plain;
    private static String allowed;
    private static String elsewhere;

    @BeforeAll
    static void setUp() throws Exception {
        ecr = server.ecr();
        signer = new SignerCalls(server.port(), TestServer.ROOT_KEY_ID, TestServer.ROOT_SECRET);
        var r = signer.call("PUT", "/signing-profiles/perm_p", "{\"platformId\":\"Notation-OCI-SHA384-ECDSA\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        profileArn = r.body().get("arn").asText();
        ecr.putSigningConfiguration(b -> b.signingConfiguration(c -> c.rules(SigningRule.builder()
                .signingProfileArn(profileArn).repositoryFilters(SigningRepositoryFilter.builder().filter("perm/*")
                        .filterType("WILDCARD_MATCH").build()).build())));
        plain = user("plain", "");
        allowed = user("allowed", ",{\"Effect\":\"Allow\",\"Action\":\"signer:SignPayload\",\"Resource\":\""
                + profileArn + "\"}");
        elsewhere = user("elsewhere", ",{\"Effect\":\"Allow\",\"Action\":\"signer:SignPayload\",\"Resource\":\""
                + profileArn.replace("perm_p", "other_p") + "\"}");
    }

    /** An IAM user with the push actions and {@code extra} statements; its Basic credentials. */
    private static String user(String name, String extra) {
        Identities ids = server.app().stores().identities();
        Policies policies = server.app().stores().policies();
        ids.createUser(A, name);
        Identities.NewKey k = ids.createAccessKey(A, name);
        policies.putUserPolicy(A, name, "push", "{\"Version\":\"2012-10-17\",\"Statement\":[" + PUSH + extra + "]}");
        return TestServer.basic(k.accessKeyId(), k.secret());
    }

    private static HttpResponse<byte[]> send(String auth, String method, String path, byte[] body, String... headers)
            throws Exception {
        return server.sendAs(auth, method, path, body, headers);
    }

    /** Pushes a one-blob image as {@code auth}; its digest. */
    private static Digest push(String auth, String repo) throws Exception {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"repo\":\"" + repo + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        Digest c = Digest.sha256Of(config);
        HttpResponse<byte[]> blob = send(auth, "POST", "/v2/" + repo + "/blobs/uploads/?digest=" + c, config);
        assertThat(blob.statusCode()).as(TestServer.describe(blob)).isEqualTo(201);
        String manifest = Fixtures.ociManifest(c, config.length, c, config.length);
        HttpResponse<byte[]> put = send(auth, "PUT", "/v2/" + repo + "/manifests/1.0",
                manifest.getBytes(StandardCharsets.UTF_8), "Content-Type", MediaTypes.OCI_MANIFEST);
        assertThat(put.statusCode()).as(TestServer.describe(put)).isEqualTo(201);
        return Digest.sha256Of(manifest.getBytes(StandardCharsets.UTF_8));
    }

    private static ImageSigningStatus statusOf(String repo, Digest d) throws Exception {
        var statuses = SigningIT.awaitSigned(ecr, repo, d).signingStatuses();
        assertThat(statuses).hasSize(1);
        assertThat(statuses.get(0).signingProfileArn()).isEqualTo(profileArn);
        return statuses.get(0);
    }

    private static int signatures(String repo, Digest d) throws Exception {
        return SignerCalls.JSON.readTree(server.get("/v2/" + repo + "/referrers/" + d).body()).get("manifests")
                .size();
    }

    @Test
    void aPusherWithoutSignPayload_getsFailedWithTheReason_andNoSignature() throws Exception {
        for (String[] who : new String[][] {{"plain", plain}, {"elsewhere", elsewhere}}) {
            String repo = "perm/" + who[0];
            Digest d = push(who[1], repo);
            ImageSigningStatus s = statusOf(repo, d);
            assertThat(s.statusAsString()).as(who[0]).isEqualTo("FAILED");
            assertThat(s.failureCode()).isEqualTo("SIGNING_PERMISSION_DENIED");
            assertThat(s.failureReason()).contains("arn:aws:iam::" + TestServer.ACCOUNT + ":user/" + who[0])
                    .contains("is not authorized to perform: signer:SignPayload on resource: " + profileArn);
            assertThat(signatures(repo, d)).as("no signature was made for %s", who[0]).isZero();
            assertThat(signer.call("GET", "/signing-jobs", null).body().get("jobs").toString())
                    .as("no signing job for %s", who[0]).doesNotContain(d.toString());
        }
    }

    @Test
    void aPusherAllowedSignPayloadOnTheProfile_getsComplete_andIsTheJobsRequester() throws Exception {
        Digest d = push(allowed, "perm/allowed");
        assertThat(statusOf("perm/allowed", d).statusAsString()).isEqualTo("COMPLETE");
        assertThat(signatures("perm/allowed", d)).isEqualTo(1);
        var job = jobFor("perm/allowed", d);
        assertThat(job.get("requestedBy").asText()).isEqualTo("arn:aws:iam::" + TestServer.ACCOUNT + ":user/allowed");
        assertThat(job.get("status").asText()).isEqualTo("Succeeded");
    }

    @Test
    void theRootNeedsNoPolicy_andIsTheJobsRequester() throws Exception {
        Digest d = push(server.basicAuth(), "perm/root");
        assertThat(statusOf("perm/root", d).statusAsString()).isEqualTo("COMPLETE");
        assertThat(jobFor("perm/root", d).get("requestedBy").asText())
                .isEqualTo("arn:aws:iam::" + TestServer.ACCOUNT + ":root");
    }

    /** DescribeSigningJob of the image's signing job, found by the job ID its status names. */
    private static com.fasterxml.jackson.databind.JsonNode jobFor(String repo, Digest d) throws Exception {
        String jobId = server.app().stores().metadata().read(tx -> tx.signing().jobsFor(A, repo, d)).get(0).jobId();
        var r = signer.call("GET", "/signing-jobs/" + jobId, null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.body();
    }
}
