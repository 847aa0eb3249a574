package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.server.config.JobsConfig;
import io.berth.server.config.RegionsConfig;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageReplicationStatus;
import software.amazon.awssdk.services.ecr.model.ReplicationConfiguration;
import software.amazon.awssdk.services.ecr.model.ReplicationDestination;
import software.amazon.awssdk.services.ecr.model.ReplicationRule;
import software.amazon.awssdk.services.ecr.model.RepositoryFilter;

/**
 * Issue 12 §2 through the real server: a us-east-1 registry replicates {@code prod*} to eu-west-1 of the same
 * deployment (blobs shared), to another account (refused until that account's registry policy allows
 * ecr:ReplicateImage, then the retries complete) and to a peer deployment serving ap-south-1 (down at first; once
 * it starts the retries complete). The image is a multi-arch index with a referrer. Then a steady push load
 * measures push-to-pullable lag at eu-west-1.
 */
class ReplicationIT {
    static final int PEER_PORT = freePort();
    static final String OTHER_ACCOUNT = "111122223333";

    @RegisterExtension
    static final TestServer server = new TestServer()
            .with(RegionsConfig.REGIONS, "us-east-1,eu-west-1")
            .with(RegionsConfig.REGION_HOSTS, "localhost=eu-west-1")
            .with(RegionsConfig.REPLICATION_PEERS, "ap-south-1=http://127.0.0.1:" + PEER_PORT + ";"
                    + TestServer.ROOT_KEY_ID + ";" + TestServer.ROOT_SECRET)
            .with(JobsConfig.RETRY_BACKOFF, "1s")
            .with(JobsConfig.RETRY_BACKOFF_MAX, "2s");

    static EcrClient ecr(Region region, String key, String secret) {
        return EcrClient.builder().endpointOverride(server.uri("/")).region(region)
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(key, secret)))
                .build();
    }

    static ReplicationDestination dest(String region, String account) {
        return ReplicationDestination.builder().region(region).registryId(account).build();
    }

    static ReplicationRule rule(List<ReplicationDestination> destinations, String... prefixes) {
        ReplicationRule.Builder b = ReplicationRule.builder().destinations(destinations);
        if (prefixes.length > 0) { // an empty list is sent as [], which the model refuses (1..100)
            b.repositoryFilters(java.util.Arrays.stream(prefixes).map(p -> RepositoryFilter.builder().filter(p)
                    .filterType("PREFIX_MATCH").build()).toList());
        }
        return b.build();
    }

    /** "" when accepted, else "__type: message". */
    static String put(EcrClient c, List<ReplicationRule> rules) {
        try {
            c.putReplicationConfiguration(b -> b.replicationConfiguration(ReplicationConfiguration.builder()
                    .rules(rules).build()));
            return "";
        } catch (software.amazon.awssdk.services.ecr.model.EcrException e) {
            return e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
        }
    }

    @Test
    void badConfigurations_refusedWithEcrsErrors() {
        EcrClient east = server.ecr();
        var before = east.describeRegistry(b -> { }).replicationConfiguration();
        assertThat(put(east, List.of(rule(List.of(dest("us-east-1", TestServer.ACCOUNT)), "prod"))))
                .isEqualTo("InvalidParameterException: Replication destination cannot be the same as the source "
                        + "registry");
        List<ReplicationRule> eleven = Collections.nCopies(11, rule(List.of(dest("eu-west-1", TestServer.ACCOUNT))));
        assertThat(put(east, eleven)).startsWith("InvalidParameterException: Invalid parameter at "
                + "'replicationConfiguration.rules' failed to satisfy constraint: 'Member must have length less than "
                + "or equal to 10'");
        List<ReplicationDestination> many = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            many.add(dest("eu-west-1", String.format("%012d", 900_000_000_000L + i)));
        }
        assertThat(put(east, List.of(rule(many.subList(0, 13)), rule(many.subList(13, 26)))))
                .contains("at most 25 unique destinations across all rules, got 26");
        assertThat(put(east, List.of(rule(List.of(dest("eu-west-1", TestServer.ACCOUNT)), "Prod!"))))
                .startsWith("InvalidParameterException").contains("repositoryFilters.member.filter");
        assertThat(Ecr.errorOf(() -> east.putReplicationConfiguration(b -> b.replicationConfiguration(
                ReplicationConfiguration.builder().rules(ReplicationRule.builder().destinations(
                        dest("eu-west-1", TestServer.ACCOUNT)).repositoryFilters(RepositoryFilter.builder()
                        .filter("prod").filterType("WILDCARD").build()).build()).build()))))
                .contains("Member must satisfy enum value set: [PREFIX_MATCH]");
        assertThat(east.describeRegistry(b -> { }).replicationConfiguration()).as("nothing stored").isEqualTo(before);
    }

    @Test
    void pushedIndex_replicatesToRegionAccountAndPeer_withRetriesUntilAllowedAndUp() throws Exception {
        String out = server.admin("create-account", "--account", OTHER_ACCOUNT);
        EcrClient east = server.ecr();
        assertThat(put(east, List.of(rule(List.of(dest("eu-west-1", TestServer.ACCOUNT),
                dest("us-east-1", OTHER_ACCOUNT), dest("ap-south-1", TestServer.ACCOUNT)), "prod"))))
                .as("no error expected").isEmpty();
        assertThat(east.describeRegistry(b -> { }).replicationConfiguration().rules()).singleElement()
                .satisfies(r -> assertThat(r.destinations()).hasSize(3));
        east.createRepository(b -> b.repositoryName("prod/app").imageTagMutability("IMMUTABLE"));
        // a multi-arch index (one child) with a signature-like referrer, pushed after the rule
        Ecr.Pushed child = Ecr.blobs(server, "prod/app", 7);
        assertThat(server.putManifest("prod/app", child.digest().toString(), MediaTypes.OCI_MANIFEST,
                child.manifest()).statusCode()).isEqualTo(201);
        String index = Fixtures.index(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, child.digest(),
                child.manifest().length());
        Digest indexDigest = Digest.sha256Of(index.getBytes(StandardCharsets.UTF_8));
        assertThat(server.putManifest("prod/app", "1", MediaTypes.OCI_INDEX, index).statusCode()).isEqualTo(201);
        byte[] sig = "signature".getBytes(StandardCharsets.UTF_8);
        Digest sigBlob = server.pushBlob("prod/app", sig);
        server.pushBlob("prod/app", Fixtures.EMPTY_JSON);
        String referrer = Fixtures.artifact("application/vnd.example.signature", sigBlob, sig.length, indexDigest,
                index.length());
        Digest referrerDigest = Digest.sha256Of(referrer.getBytes(StandardCharsets.UTF_8));
        assertThat(server.putManifest("prod/app", referrerDigest.toString(), MediaTypes.OCI_MANIFEST, referrer)
                .statusCode()).isEqualTo(201);
        Ecr.Pushed outside = Ecr.blobs(server, "other/app", 8);
        assertThat(server.putManifest("other/app", "1", MediaTypes.OCI_MANIFEST, outside.manifest()).statusCode())
                .as("an image outside the filter").isEqualTo(201);

        try (EcrClient west = ecr(Region.EU_WEST_1, TestServer.ROOT_KEY_ID, TestServer.ROOT_SECRET)) {
            await("index replicated to eu-west-1", () -> RegionsIT.rawOk(server.port(), "localhost:" + server.port(),
                    "/v2/prod/app/manifests/1", server.basicAuth()));
            await("referrer replicated", () -> RegionsIT.raw0(server.port(), "localhost:" + server.port(),
                    "/v2/prod/app/referrers/" + indexDigest, server.basicAuth()).contains(referrerDigest.toString()));
            assertThat(west.describeImages(b -> b.repositoryName("prod/app")).imageDetails())
                    .as("index, child and referrer in eu-west-1").hasSize(3);
            assertThat(RegionsIT.raw(server.port(), "GET", "localhost:" + server.port(), "/v2/prod/app/blobs/" + child.layer(),
                    server.basicAuth(), null, null)).as("the shared layer, linked").startsWith("HTTP/1.1 200");
            assertThat(west.describeRepositories(b -> b.repositoryNames("prod/app")).repositories().get(0)
                    .imageTagMutabilityAsString()).as("no REPLICATION template: the source's settings")
                    .isEqualTo("IMMUTABLE");
            assertThat(Ecr.errorOf(() -> west.describeRepositories(b -> b.repositoryNames("other/app"))))
                    .as("outside the filter").startsWith("RepositoryNotFoundException");
        }
        await("other account and peer have failed at least once", () -> {
            Map<String, ImageReplicationStatus> s = statuses(east, indexDigest);
            return s.size() == 3 && !s.get("us-east-1/" + OTHER_ACCOUNT).status().toString().equals("IN_PROGRESS")
                    && s.get("ap-south-1/" + TestServer.ACCOUNT).failureCode() != null;
        });
        Map<String, ImageReplicationStatus> s = statuses(east, indexDigest);
        assertThat(s.get("eu-west-1/" + TestServer.ACCOUNT).statusAsString()).isEqualTo("COMPLETE");
        assertThat(s.get("us-east-1/" + OTHER_ACCOUNT).statusAsString()).isEqualTo("FAILED");
        assertThat(s.get("us-east-1/" + OTHER_ACCOUNT).failureCode()).contains("does not allow ecr:ReplicateImage");
        assertThat(s.get("ap-south-1/" + TestServer.ACCOUNT).statusAsString()).isEqualTo("FAILED");
        assertThat(s.get("ap-south-1/" + TestServer.ACCOUNT).failureCode()).contains("unreachable");

        try (EcrClient other = ecr(Region.US_EAST_1, field(out, "AccessKeyId"), field(out, "SecretAccessKey"))) {
            other.putRegistryPolicy(b -> b.policyText("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"repl\","
                    + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + TestServer.ACCOUNT + ":root\"},"
                    + "\"Action\":[\"ecr:ReplicateImage\",\"ecr:CreateRepository\"],\"Resource\":\"arn:aws:ecr:"
                    + "us-east-1:" + OTHER_ACCOUNT + ":repository/*\"}]}"));
            await("the other account's copy once its policy allows it", () -> statuses(east, indexDigest)
                    .get("us-east-1/" + OTHER_ACCOUNT).statusAsString().equals("COMPLETE"));
            assertThat(other.describeImages(b -> b.repositoryName("prod/app")).imageDetails()).hasSize(3);
        }

        TestServer peer = new TestServer().with(io.berth.server.config.HttpConfig.LISTEN, "127.0.0.1:" + PEER_PORT)
                .with(io.berth.server.config.AuthConfig.REGION, "ap-south-1");
        peer.beforeAll(null);
        try {
            await("the peer's copy once it is up", () -> statuses(east, indexDigest)
                    .get("ap-south-1/" + TestServer.ACCOUNT).statusAsString().equals("COMPLETE"));
            assertThat(peer.get("/v2/prod/app/manifests/1", "Accept", MediaTypes.OCI_INDEX).statusCode()).isEqualTo(200);
            assertThat(peer.get("/v2/prod/app/manifests/" + child.digest(), "Accept", MediaTypes.OCI_MANIFEST)
                    .statusCode()).as("the child at the peer").isEqualTo(200);
            assertThat(peer.head("/v2/prod/app/blobs/" + child.layer()).statusCode()).as("layer uploaded")
                    .isEqualTo(200);
            try (EcrClient peerEcr = EcrClient.builder().endpointOverride(peer.uri("/")).region(Region.AP_SOUTH_1)
                    .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                    .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(TestServer.ROOT_KEY_ID,
                                    TestServer.ROOT_SECRET))).build()) {
                assertThat(peerEcr.describeRepositories(b -> b.repositoryNames("prod/app")).repositories().get(0)
                        .imageTagMutabilityAsString()).as("created over the peer's ECR API with the source's "
                        + "settings").isEqualTo("IMMUTABLE");
            }
        } finally {
            peer.afterAll(null);
        }
        // issue 14 §2: the push-to-replicated time, by destination kind only (no repository, account or region)
        String m = server.app().metrics().scrape();
        for (String kind : List.of("region", "account", "peer")) {
            assertThat(lagCount(m, kind)).as("replicas completed to a %s destination", kind).isGreaterThan(0);
        }
        assertThat(m).as("labelled by destination kind alone")
                .doesNotContain("berth_replication_lag_seconds_count{destination=\"region\",");
        assertThat(m).contains("berth_replication_lag_seconds_bucket{destination=\"peer\",le=\"3600.0\"}");
    }

    static double lagCount(String scrape, String kind) {
        String series = "berth_replication_lag_seconds_count{destination=\"" + kind + "\"} ";
        return scrape.lines().filter(l -> l.startsWith(series))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length()))).sum();
    }

    @Test
    void berthsSignatureOfAReplicatedImage_isListedAtTheDestination() throws Exception {
        var profile = new SignerCalls(server.port(), TestServer.ROOT_KEY_ID, TestServer.ROOT_SECRET)
                .call("PUT", "/signing-profiles/replicated", "{\"platformId\":\"Notation-OCI-SHA384-ECDSA\"}");
        assertThat(profile.status()).as(profile.toString()).isEqualTo(200);
        String arn = profile.body().get("arn").asText();
        EcrClient east = server.ecr();
        east.putSigningConfiguration(b -> b.signingConfiguration(c -> c.rules(
                software.amazon.awssdk.services.ecr.model.SigningRule.builder().signingProfileArn(arn)
                        .repositoryFilters(software.amazon.awssdk.services.ecr.model.SigningRepositoryFilter.builder()
                                .filter("signrep/*").filterType("WILDCARD_MATCH").build()).build())));
        assertThat(put(east, List.of(rule(List.of(dest("eu-west-1", TestServer.ACCOUNT)), "signrep")))).isEmpty();
        Ecr.Pushed image = Ecr.blobs(server, "signrep/app", 91);
        assertThat(server.putManifest("signrep/app", "1", MediaTypes.OCI_MANIFEST, image.manifest()).statusCode())
                .isEqualTo(201);
        assertThat(SigningIT.awaitSigned(east, "signrep/app", image.digest()).signingStatuses()).singleElement()
                .satisfies(s -> assertThat(s.statusAsString()).isEqualTo("COMPLETE"));
        var referrers = SignerCalls.JSON.readTree(server.get("/v2/signrep/app/referrers/" + image.digest()).body())
                .get("manifests");
        assertThat(referrers).as("Berth's signature at the source").hasSize(1);
        assertThat(referrers.get(0).get("artifactType").asText()).isEqualTo("application/vnd.cncf.notary.signature");
        String signature = referrers.get(0).get("digest").asText();
        // the signature is pushed after the image (maybe after its replication): its own push replicates it
        await("the signature listed at eu-west-1", () -> RegionsIT.raw0(server.port(), "localhost:" + server.port(),
                "/v2/signrep/app/referrers/" + image.digest(), server.basicAuth()).contains(signature));
        assertThat(RegionsIT.raw(server.port(), "GET", "localhost:" + server.port(), "/v2/signrep/app/manifests/"
                + signature, server.basicAuth(), null, null)).as("the signature's manifest at eu-west-1")
                .startsWith("HTTP/1.1 200");
    }

    @Test
    void imagesFromBeforeTheRule_replicateOnlyWithBackfill() throws Exception {
        Ecr.Pushed old = Ecr.blobs(server, "old/app", 42);
        assertThat(server.putManifest("old/app", "1", MediaTypes.OCI_MANIFEST, old.manifest()).statusCode())
                .isEqualTo(201);
        // the trigger reads a push's event within a poll (0.5 s) and applies the configuration it finds then
        Thread.sleep(1_500);
        EcrClient east = server.ecr();
        assertThat(put(east, List.of(rule(List.of(dest("eu-west-1", TestServer.ACCOUNT)), "old")))).isEmpty();
        Thread.sleep(1_500); // three trigger polls: ECR replicates only what is pushed after the rule
        assertThat(RegionsIT.rawOk(server.port(), "localhost:" + server.port(), "/v2/old/app/manifests/1",
                server.basicAuth())).as("pushed before the rule: not replicated").isFalse();
        String out = server.admin("replicate", "--backfill", "--repository", "old/app");
        assertThat(out).contains("Queued 1 replication jobs");
        await("old/app:1 at eu-west-1 after the backfill", () -> RegionsIT.rawOk(server.port(),
                "localhost:" + server.port(), "/v2/old/app/manifests/1", server.basicAuth()));
    }

    @Test
    void deletes_propagateOnlyToDestinationsThatOptedIn() throws Exception {
        EcrClient east = server.ecr();
        assertThat(put(east, List.of(rule(List.of(dest("eu-west-1", TestServer.ACCOUNT)), "del")))).isEmpty();
        String west = "localhost:" + server.port();
        for (String tag : List.of("0", "1")) {
            Ecr.Pushed p = Ecr.blobs(server, "del/app", 60 + Integer.parseInt(tag));
            assertThat(server.putManifest("del/app", tag, MediaTypes.OCI_MANIFEST, p.manifest()).statusCode())
                    .isEqualTo(201);
            await("del/app:" + tag + " at eu-west-1", () -> RegionsIT.rawOk(server.port(), west,
                    "/v2/del/app/manifests/" + tag, server.basicAuth()));
        }
        east.batchDeleteImage(b -> b.repositoryName("del/app").imageIds(ImageIdentifier.builder().imageTag("0")
                .build()));
        Thread.sleep(1_500);
        assertThat(RegionsIT.rawOk(server.port(), west, "/v2/del/app/manifests/0", server.basicAuth()))
                .as("as ECR: deletes are not replicated by default").isTrue();
        assertThat(server.admin("replication", "--destination", "eu-west-1:" + TestServer.ACCOUNT,
                "--propagate-deletes", "true")).contains("Deletes now propagate to eu-west-1");
        east.batchDeleteImage(b -> b.repositoryName("del/app").imageIds(ImageIdentifier.builder().imageTag("1")
                .build()));
        await("del/app:1 deleted at eu-west-1 too", () -> !RegionsIT.rawOk(server.port(), west,
                "/v2/del/app/manifests/1", server.basicAuth()));
    }

    @Test
    void steadyPushes_lagToPullableInAnotherRegion() throws Exception {
        EcrClient east = server.ecr();
        put(east, List.of(rule(List.of(dest("eu-west-1", TestServer.ACCOUNT)), "lag")));
        List<Long> lags = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Ecr.Pushed p = Ecr.blobs(server, "lag/app", 100 + i);
            long pushed = System.nanoTime();
            assertThat(server.putManifest("lag/app", "v" + i, MediaTypes.OCI_MANIFEST, p.manifest()).statusCode())
                    .isEqualTo(201);
            String tag = "v" + i;
            await("lag/app:" + tag + " at eu-west-1", () -> RegionsIT.rawOk(server.port(), "localhost:" + server.port(),
                    "/v2/lag/app/manifests/" + tag, server.basicAuth()));
            lags.add((System.nanoTime() - pushed) / 1_000_000);
            Thread.sleep(100);
        }
        List<Long> sorted = lags.stream().sorted().collect(Collectors.toList());
        long p50 = sorted.get(sorted.size() / 2);
        long p99 = sorted.get(sorted.size() - 1);
        System.out.println("replication lag push->pullable at eu-west-1 over " + sorted.size() + " pushes: p50 "
                + p50 + " ms, p99 " + p99 + " ms");
        assertThat(p99).as("p99 lag in ms (ECR: most within 30 minutes)").isLessThan(10_000);
    }

    static Map<String, ImageReplicationStatus> statuses(EcrClient c, Digest digest) {
        return c.describeImageReplicationStatus(b -> b.repositoryName("prod/app").imageId(ImageIdentifier.builder()
                .imageDigest(digest.toString()).build())).replicationStatuses().stream()
                .collect(Collectors.toMap(s -> s.region() + "/" + s.registryId(), s -> s));
    }

    static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    static String field(String out, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(name + ":\\s+(\\S+)").matcher(out);
        assertThat(m.find()).as("%s in admin output %s", name, out).isTrue();
        return m.group(1);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
