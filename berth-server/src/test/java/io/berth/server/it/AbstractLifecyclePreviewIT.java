package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.LifecycleRuns;
import io.berth.core.spi.meta.AuditEvent;
import io.berth.core.spi.meta.AuditQuery;
import io.berth.core.spi.meta.EventStore;
import io.berth.core.spi.meta.RegistryEvent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.GetLifecyclePolicyPreviewResponse;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyPreviewResult;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyPreviewStatus;
import software.amazon.awssdk.services.ecr.model.StartLifecyclePolicyPreviewResponse;
import software.amazon.awssdk.services.ecr.model.TagStatus;

/**
 * StartLifecyclePolicyPreview / GetLifecyclePolicyPreview through the SDK's EcrClient (shapes, filters, pagination,
 * errors, the waiter), and the real evaluation as a job: the preview of a repository is exactly what the next
 * evaluation deletes, with its events and audit records. Images are aged with {@code berth admin set-image-times},
 * which runs only in test mode. The schedule is off here ({@code lifecycle.interval 0}); evaluations are enqueued.
 */
abstract class AbstractLifecyclePreviewIT {
    /** The server of the subclass: SQLite ({@link LifecyclePreviewIT}) or PostgreSQL. */
    abstract TestServer server();

    static final String POLICY = """
            {"rules":[
              {"rulePriority":1,"description":"old v* releases","selection":{"tagStatus":"tagged",
               "tagPrefixList":["v"],"countType":"sinceImagePushed","countUnit":"days","countNumber":30},
               "action":{"type":"expire"}},
              {"rulePriority":2,"description":"archive unpulled keep*","selection":{"tagStatus":"tagged",
               "tagPatternList":["keep*"],"countType":"sinceImagePulled","countUnit":"days","countNumber":10},
               "action":{"type":"transition","targetStorageClass":"archive"}},
              {"rulePriority":3,"description":"three untagged","selection":{"tagStatus":"untagged",
               "countType":"imageCountMoreThan","countNumber":3},"action":{"type":"expire"}}]}""";

    private Path testModeConfig() throws Exception {
        Path file = server().data().resolve("test-mode.yaml");
        if (!Files.exists(file)) {
            Files.writeString(file, "testing:\n  allow-backdating: true\n");
        }
        return file;
    }

    private void age(String repo, Digest d, Duration pushedAgo) throws Exception {
        String out = server().admin("set-image-times", "--config", testModeConfig().toString(), "--repository", repo,
                "--digest", d.toString(), "--pushed-at", Instant.now().minus(pushedAgo).toString());
        assertThat(out).as("set-image-times output").contains("pushed at");
    }

    private Digest pushUntagged(String repo, long seed) throws Exception {
        Ecr.Pushed p = Ecr.blobs(server(), repo, seed);
        var r = server().putManifest(repo, p.digest().toString(), MediaTypes.OCI_MANIFEST, p.manifest());
        assertThat(r.statusCode()).as("untagged push %s", TestServer.describe(r)).isEqualTo(201);
        return p.digest();
    }

    /** An artifact whose subject is {@code subject} (its layer is {@code layerOf}'s, already in the repository). */
    private Digest pushReferrer(String repo, String type, Digest subject, long subjectSize, Ecr.Pushed layerOf)
            throws Exception {
        server().pushBlob(repo, Fixtures.EMPTY_JSON);
        String artifact = Fixtures.artifact(type, layerOf.layer(), layerOf.layerSize(), subject, subjectSize);
        Digest d = Digest.sha256Of(artifact.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        var r = server().putManifest(repo, d.toString(), MediaTypes.OCI_MANIFEST, artifact);
        assertThat(r.statusCode()).as("referrer push %s", TestServer.describe(r)).isEqualTo(201);
        return d;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private Set<String> digestsIn(String repo) {
        return server().ecr().listImagesPaginator(b -> b.repositoryName(repo)).imageIds().stream()
                .map(ImageIdentifier::imageDigest).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String line(LifecyclePolicyPreviewResult r) {
        return r.imageDigest() + " " + r.imageTags() + " " + r.action().typeAsString() + " "
                + r.action().targetStorageClassAsString() + " " + r.appliedRulePriority() + " "
                + r.storageClassAsString();
    }

    @Test
    void preview_isExactlyWhatTheNextEvaluationDoes() throws Exception {
        String repo = "lcp/app";
        server().ecr().createRepository(b -> b.repositoryName(repo));
        Ecr.Pushed v1 = Ecr.push(server(), repo, "v1", 101);
        Ecr.Pushed v2 = Ecr.push(server(), repo, "v2", 102);
        Ecr.Pushed v3 = Ecr.push(server(), repo, "v3", 103);
        Ecr.Pushed keep = Ecr.push(server(), repo, "keep-a", 104);
        Digest u1 = pushUntagged(repo, 105);
        Digest u2 = pushUntagged(repo, 106);
        Digest u3 = pushUntagged(repo, 107);
        Digest child = pushUntagged(repo, 108);
        String index = Fixtures.index(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, child,
                Ecr.blobs(server(), repo, 108).manifest().length());
        assertThat(server().putManifest(repo, "multi", MediaTypes.OCI_INDEX, index).statusCode()).isEqualTo(201);
        Digest referrer = pushReferrer(repo, "application/vnd.example.sbom", v1.digest(), v1.manifest().length(), v1);
        long referrerSize = server().get("/v2/" + repo + "/manifests/" + referrer, "Accept", MediaTypes.OCI_MANIFEST)
                .body().length;
        // a signature of the SBOM: a referrer of a referrer, which follows it in turn
        Digest signature = pushReferrer(repo, "application/vnd.example.signature", referrer, referrerSize, v1);
        age(repo, v1.digest(), Duration.ofDays(40));
        age(repo, v2.digest(), Duration.ofDays(35));
        age(repo, keep.digest(), Duration.ofDays(20));
        age(repo, child, Duration.ofDays(50));
        age(repo, u1, Duration.ofDays(10));
        age(repo, u2, Duration.ofDays(5));
        age(repo, u3, Duration.ofDays(1));
        server().ecr().putLifecyclePolicy(b -> b.repositoryName(repo).lifecyclePolicyText(POLICY));

        StartLifecyclePolicyPreviewResponse started = server().ecr().startLifecyclePolicyPreview(b ->
                b.repositoryName(repo));
        assertThat(started.status()).as("start answers").isEqualTo(LifecyclePolicyPreviewStatus.IN_PROGRESS);
        assertThat(started.lifecyclePolicyText()).as("the stored policy is previewed").isEqualTo(POLICY);
        assertThat(started.registryId()).isEqualTo(TestServer.ACCOUNT);
        assertThat(started.repositoryName()).isEqualTo(repo);
        var waited = server().ecr().waiter().waitUntilLifecyclePolicyPreviewComplete(b -> b.repositoryName(repo));
        assertThat(waited.matched().response()).as("the SDK's LifecyclePolicyPreviewComplete waiter").isPresent();

        GetLifecyclePolicyPreviewResponse got = server().ecr().getLifecyclePolicyPreview(b -> b.repositoryName(repo));
        assertThat(got.status()).isEqualTo(LifecyclePolicyPreviewStatus.COMPLETE);
        assertThat(got.lifecyclePolicyText()).isEqualTo(POLICY);
        assertThat(got.nextToken()).as("one page").isNull();
        assertThat(got.previewResults()).extracting(AbstractLifecyclePreviewIT::line).as("preview results, in order")
                .containsExactly(
                        v1.digest() + " [v1] EXPIRE null 1 STANDARD",
                        v2.digest() + " [v2] EXPIRE null 1 STANDARD",
                        keep.digest() + " [keep-a] TRANSITION ARCHIVE 2 STANDARD",
                        u1 + " [] EXPIRE null 3 STANDARD",
                        u2 + " [] EXPIRE null 3 STANDARD",
                        referrer + " [] EXPIRE null 1 STANDARD",
                        signature + " [] EXPIRE null 1 STANDARD");
        assertThat(got.previewResults().get(0).imagePushedAt()).as("imagePushedAt of v1, as backdated")
                .isBefore(Instant.now().minus(Duration.ofDays(39)));
        assertThat(got.summary().expiringImageTotalCount()).as("expiring").isEqualTo(6);
        assertThat(got.summary().transitioningImageTotalCounts()).as("transitioning")
                .singleElement().satisfies(t -> {
                    assertThat(t.targetStorageClassAsString()).isEqualTo("ARCHIVE");
                    assertThat(t.imageTotalCount()).isEqualTo(1);
                });

        // filters and pagination
        List<String> paged = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            GetLifecyclePolicyPreviewResponse page = server().ecr().getLifecyclePolicyPreview(b -> b.repositoryName(repo)
                    .maxResults(4).nextToken(t));
            page.previewResults().forEach(r -> paged.add(r.imageDigest()));
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertThat(pages).as("pages of 4").isEqualTo(2);
        assertThat(paged).as("pages of 4, joined").containsExactlyElementsOf(got.previewResults().stream()
                .map(LifecyclePolicyPreviewResult::imageDigest).toList());
        assertThat(server().ecr().getLifecyclePolicyPreview(b -> b.repositoryName(repo)
                .filter(f -> f.tagStatus(TagStatus.UNTAGGED))).previewResults())
                .extracting(LifecyclePolicyPreviewResult::imageDigest).as("UNTAGGED")
                .containsExactly(u1.toString(), u2.toString(), referrer.toString(), signature.toString());
        assertThat(server().ecr().getLifecyclePolicyPreview(b -> b.repositoryName(repo)
                .filter(f -> f.tagStatus(TagStatus.TAGGED)).maxResults(1)).previewResults())
                .extracting(LifecyclePolicyPreviewResult::imageDigest).as("TAGGED, one").containsExactly(
                        v1.digest().toString());
        assertThat(server().ecr().getLifecyclePolicyPreview(b -> b.repositoryName(repo).imageIds(
                i -> i.imageTag("v2"), i -> i.imageDigest(u2.toString()), i -> i.imageTag("v3"))).previewResults())
                .extracting(LifecyclePolicyPreviewResult::imageDigest).as("by imageIds (v3 is not acted on)")
                .containsExactly(v2.digest().toString(), u2.toString());

        // the real evaluation, as its job
        Set<String> before = digestsIn(repo);
        Set<String> expected = new TreeSet<>(before);
        // ListImages shows ACTIVE images: the expired go, and so does keep-a, archived by rule 2
        got.previewResults().forEach(r -> expected.remove(r.imageDigest()));
        String target = LifecycleRuns.target(new RegistryId(TestServer.ACCOUNT), RepositoryName.of(repo));
        server().app().jobs().enqueue(LifecycleRuns.EVALUATE_KIND, target, null, 1);
        await("lastEvaluatedAt", () -> server().ecr().getLifecyclePolicy(b -> b.repositoryName(repo))
                .lastEvaluatedAt() != null);
        assertThat(digestsIn(repo)).as("after the evaluation: all but the preview's expiries and transition")
                .containsExactlyElementsOf(expected)
                .contains(v3.digest().toString(), u3.toString(), child.toString());
        var archived = server().ecr().describeImages(b -> b.repositoryName(repo).imageIds(i -> i.imageTag("keep-a")))
                .imageDetails();
        assertThat(archived).singleElement().satisfies(i -> assertThat(i.imageStatusAsString())
                .as("keep-a after the evaluation (rule 2: transition to archive)").isEqualTo("ARCHIVED"));
        assertThat(server().get("/v2/" + repo + "/manifests/keep-a", "Accept", MediaTypes.OCI_MANIFEST).statusCode())
                .as("pull of the archived keep-a").isEqualTo(404);

        List<String> deleted = server().app().stores().metadata().read(tx -> tx.events().list(
                        new EventStore.Filter(repo, null, 0, 1000))).stream()
                .filter(e -> e.type() == RegistryEvent.Type.IMAGE_DELETED)
                .map(e -> e.digest() + " " + e.reason() + " " + e.principal()).toList();
        assertThat(deleted).as("IMAGE_DELETED events").containsExactlyInAnyOrder(
                v1.digest() + " LIFECYCLE berth:lifecycle", v2.digest() + " LIFECYCLE berth:lifecycle",
                u1 + " LIFECYCLE berth:lifecycle", u2 + " LIFECYCLE berth:lifecycle",
                referrer + " LIFECYCLE berth:lifecycle", signature + " LIFECYCLE berth:lifecycle");
        assertThat(List.of(signature, referrer, v1.digest())).extracting(d -> deleted.indexOf(d
                + " LIFECYCLE berth:lifecycle")).as("referrers go before their subjects, deepest first").isSorted();

        Map<String, String> audited = new LinkedHashMap<>();
        await("audit records", () -> auditOf(repo).size() == 7);
        for (AuditEvent e : auditOf(repo)) {
            audited.put(e.requestParameters().replaceAll(".*\"imageDigest\":\"([^\"]+)\".*", "$1"),
                    e.requestParameters().replaceAll(".*\"rulePriority\":(\\d+).*", "rule $1"));
        }
        assertThat(audited).as("PolicyExecutionEvent per expiry and transition, naming the rule").containsOnly(
                Map.entry(keep.digest().toString(), "rule 2"),
                Map.entry(v1.digest().toString(), "rule 1"), Map.entry(v2.digest().toString(), "rule 1"),
                Map.entry(u1.toString(), "rule 3"), Map.entry(u2.toString(), "rule 3"),
                Map.entry(referrer.toString(), "rule 1"), Map.entry(signature.toString(), "rule 1"));
    }

    private List<AuditEvent> auditOf(String repo) {
        return server().app().stores().metadata().read(tx -> tx.audit().query(new AuditQuery(null, null, null, repo,
                LifecycleRuns.AUDIT_EVENT, 100, null))).events();
    }

    @Test
    void preview_ofAGivenText_badInput_andTheErrorsEcrNames() throws Exception {
        String repo = "lcp/errors";
        server().ecr().createRepository(b -> b.repositoryName(repo));
        assertThat(Ecr.errorOf(() -> server().ecr().getLifecyclePolicyPreview(b -> b.repositoryName(repo))))
                .as("get before any preview").isEqualTo("LifecyclePolicyPreviewNotFoundException: Lifecycle policy "
                        + "preview does not exist for the repository with name '" + repo + "' in the registry with "
                        + "id '" + TestServer.ACCOUNT + "'");
        assertThat(Ecr.errorOf(() -> server().ecr().startLifecyclePolicyPreview(b -> b.repositoryName(repo))))
                .as("start without text on a repository without a policy").isEqualTo("LifecyclePolicyNotFoundException: "
                        + "Lifecycle policy does not exist for the repository with name '" + repo
                        + "' in the registry with id '" + TestServer.ACCOUNT + "'");
        assertThat(Ecr.errorOf(() -> server().ecr().startLifecyclePolicyPreview(b -> b.repositoryName(repo)
                .lifecyclePolicyText(POLICY.replace("\"countNumber\":3}", "\"countNumber\":0}")))))
                .as("an invalid policy text").isEqualTo("InvalidParameterException: Lifecycle policy validation "
                        + "failure: numeric instance is lower than the required minimum (minimum: 1, found: 0)"
                        + " at /rules/2/selection/countNumber");
        assertThat(Ecr.errorOf(() -> server().ecr().startLifecyclePolicyPreview(b -> b.repositoryName(repo)
                .lifecyclePolicyText("{\"rules\":[]}")))).as("a text under 100 characters")
                .startsWith("ValidationException: 1 validation error detected: ")
                .contains("Member must have length greater than or equal to 100");
        assertThat(Ecr.errorOf(() -> server().ecr().startLifecyclePolicyPreview(b -> b.repositoryName("lcp/missing")
                .lifecyclePolicyText(POLICY)))).as("a missing repository").startsWith("RepositoryNotFoundException: ");

        // a preview of a text (not the stored policy: there is none), on an empty repository
        assertThat(server().ecr().startLifecyclePolicyPreview(b -> b.repositoryName(repo).lifecyclePolicyText(POLICY))
                .lifecyclePolicyText()).isEqualTo(POLICY);
        await("empty preview complete", () -> server().ecr().getLifecyclePolicyPreview(b -> b.repositoryName(repo))
                .status() == LifecyclePolicyPreviewStatus.COMPLETE);
        GetLifecyclePolicyPreviewResponse empty = server().ecr().getLifecyclePolicyPreview(b -> b.repositoryName(repo));
        assertThat(empty.previewResults()).as("nothing to act on").isEmpty();
        assertThat(empty.summary().expiringImageTotalCount()).isZero();
        assertThat(empty.summary().transitioningImageTotalCounts()).isEmpty();

        // one in progress (its row started directly, so no job finishes it during the test)
        long id = server().app().stores().metadata().read(tx -> tx.repositories().get(
                new RegistryId(TestServer.ACCOUNT), RepositoryName.of(repo)).orElseThrow().id());
        server().app().stores().metadata().write(tx -> tx.lifecyclePreviews().start(id, POLICY, Instant.now()));
        assertThat(Ecr.errorOf(() -> server().ecr().startLifecyclePolicyPreview(b -> b.repositoryName(repo)
                .lifecyclePolicyText(POLICY)))).as("a second start while one runs").isEqualTo(
                        "LifecyclePolicyPreviewInProgressException: The previous lifecycle policy preview request has "
                                + "not completed for the repository with name '" + repo + "' in the registry with id '"
                                + TestServer.ACCOUNT + "'. Wait and try again.");
        GetLifecyclePolicyPreviewResponse running = server().ecr().getLifecyclePolicyPreview(b -> b.repositoryName(repo));
        assertThat(running.status()).isEqualTo(LifecyclePolicyPreviewStatus.IN_PROGRESS);
        assertThat(running.previewResults()).as("no results while in progress").isEmpty();
        assertThat(running.summary()).as("no summary while in progress").isNull();

        assertThat(Ecr.errorOf(() -> server().ecr().getLifecyclePolicyPreview(b -> b.repositoryName(repo)
                .maxResults(101)))).as("maxResults 101").startsWith("InvalidParameterException: ");
        assertThat(Ecr.errorOf(() -> server().ecr().getLifecyclePolicyPreview(b -> b.repositoryName(repo)
                .filter(f -> f.tagStatus("SOME"))))).as("unknown tagStatus").startsWith("InvalidParameterException: ");
        assertThat(Ecr.errorOf(() -> server().ecr().getLifecyclePolicyPreview(b -> b.repositoryName(repo)
                .nextToken("bm9wZQ")))).as("a token we did not issue").startsWith("InvalidParameterException: ");
        assertThat(Ecr.errorOf(() -> server().ecr().getLifecyclePolicyPreview(b -> b.repositoryName(repo)
                .imageIds(i -> i.imageTag("x")).maxResults(5)))).as("imageIds with maxResults")
                .startsWith("InvalidParameterException: ");
    }

    @Test
    void setImageTimes_isRefusedOutsideTestMode() throws Exception {
        String repo = "lcp/times";
        Ecr.Pushed p = Ecr.push(server(), repo, "t", 201);
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
            code = io.berth.server.MainAccess.execute("admin", "set-image-times", "--repository", repo, "--digest",
                    p.digest().toString(), "--pushed-at", "2020-01-01T00:00:00Z", "--data", server().data().toString());
        } finally {
            System.setErr(saved);
        }
        assertThat(code).as("exit status without test mode").isEqualTo(1);
        assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8)).as("why")
                .contains("runs only in test mode: set testing.allow-backdating: true");
        Instant pushed = server().ecr().describeImages(b -> b.repositoryName(repo)).imageDetails().get(0)
                .imagePushedAt();
        assertThat(pushed).as("push time unchanged").isAfter(Instant.now().minus(Duration.ofHours(1)));

        server().admin("set-image-times", "--config", testModeConfig().toString(), "--repository", repo, "--digest",
                p.digest().toString(), "--pushed-at", "2020-01-01T00:00:00Z", "--pulled-at", "2021-01-01T00:00:00Z");
        var detail = server().ecr().describeImages(b -> b.repositoryName(repo)).imageDetails().get(0);
        assertThat(detail.imagePushedAt()).as("backdated push").isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
        assertThat(detail.lastRecordedPullTime()).as("backdated pull").isEqualTo(Instant.parse("2021-01-01T00:00:00Z"));
    }
}
