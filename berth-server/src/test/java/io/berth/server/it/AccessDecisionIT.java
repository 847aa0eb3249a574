package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.model.MediaTypes;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.RepositoryView;
import io.berth.server.access.Policies;
import io.berth.server.auth.Identities;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;

/**
 * The access decision table: principals × actions × policy documents, each row run through the real server on both
 * APIs (the AWS SDK EcrClient signed with the principal's key, and {@code /v2/} with Basic key:secret or no
 * credentials). Expected outcomes follow AWS's documented evaluation logic: an explicit deny wins; in one account an
 * Allow in either an identity policy or the resource policy suffices; across accounts both sides must allow (a root
 * caller's side is implicit); anonymous callers need a resource Allow for {@code "*"}.
 */
class AccessDecisionIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    static final RegistryId A = new RegistryId(TestServer.ACCOUNT);
    static final RegistryId B = new RegistryId("222233334444");

    enum Who { ALICE, B_ROOT, B_BOB, ANONYMOUS }

    /** Each action on both planes: the ECR call and the /v2/ request ECR's proxy maps to the same action. */
    enum Act { PULL, LIST, PUSH }

    record Key(String id, String secret, String arn) {}

    static final Map<Who, Key> keys = new java.util.EnumMap<>(Who.class);

    @BeforeAll
    static void identities() {
        Identities ids = server.app().stores().identities();
        ids.createUser(A, "alice");
        Identities.NewKey alice = ids.createAccessKey(A, "alice");
        keys.put(Who.ALICE, new Key(alice.accessKeyId(), alice.secret(), "arn:aws:iam::" + A + ":user/alice"));
        ids.ensureAccount(B);
        Identities.NewKey broot = ids.createAccessKey(B, null);
        keys.put(Who.B_ROOT, new Key(broot.accessKeyId(), broot.secret(), "arn:aws:iam::" + B + ":root"));
        ids.createUser(B, "bob");
        Identities.NewKey bob = ids.createAccessKey(B, "bob");
        keys.put(Who.B_BOB, new Key(bob.accessKeyId(), bob.secret(), "arn:aws:iam::" + B + ":user/bob"));
    }

    private static final String PULL_ACTIONS = "[\"ecr:BatchGetImage\",\"ecr:GetDownloadUrlForLayer\"]";

    private static String doc(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    private static String stmt(String effect, String principal, String actionElement, String actions, String extra) {
        return "{\"Effect\":\"" + effect + "\"" + (principal == null ? "" : ",\"Principal\":" + principal)
                + ",\"" + actionElement + "\":" + actions + (principal == null ? ",\"Resource\":\"*\"" : "")
                + (extra == null ? "" : "," + extra) + "}";
    }

    /**
     * One row: who, what, the repository policy and the caller's identity policy (null: none), the repository's
     * resource tags, and whether AWS's logic allows it.
     */
    record Row(String name, Who who, Act act, String repoPolicy, String identityPolicy, Map<String, String> tags,
               boolean allowed) {
        @Override public String toString() { return name; }
    }

    static Stream<Row> rows() {
        String aliceArn = "{\"AWS\":\"arn:aws:iam::" + A + ":user/alice\"}";
        String bobArn = "{\"AWS\":\"arn:aws:iam::" + B + ":user/bob\"}";
        String accountB = "{\"AWS\":\"" + B + "\"}";
        String identityPull = doc(stmt("Allow", null, "Action", PULL_ACTIONS + "", null));
        String identityAll = doc(stmt("Allow", null, "Action", "\"ecr:*\"", null));
        List<Row> r = new ArrayList<>();
        r.add(new Row("same-account user, no policy: implicit deny", Who.ALICE, Act.PULL, null, null, Map.of(), false));
        r.add(new Row("same-account user, identity allow", Who.ALICE, Act.PULL, null, identityPull, Map.of(), true));
        r.add(new Row("same-account user, identity allows pull only: list denied", Who.ALICE, Act.LIST, null,
                identityPull, Map.of(), false));
        r.add(new Row("same-account user, resource allow naming the user", Who.ALICE, Act.PULL,
                doc(stmt("Allow", aliceArn, "Action", PULL_ACTIONS, null)), null, Map.of(), true));
        r.add(new Row("same-account user, identity ecr:* but resource deny", Who.ALICE, Act.PULL,
                doc(stmt("Deny", aliceArn, "Action", PULL_ACTIONS, null)), identityAll, Map.of(), false));
        r.add(new Row("same-account user, identity allow but resource deny *", Who.ALICE, Act.PUSH,
                doc(stmt("Deny", "\"*\"", "Action", "\"ecr:InitiateLayerUpload\"", null)), identityAll, Map.of(),
                false));
        r.add(new Row("same-account user, NotAction BatchGetImage: pull denied", Who.ALICE, Act.PULL, null,
                doc(stmt("Allow", null, "NotAction", "\"ecr:BatchGetImage\"", null)), Map.of(), false));
        r.add(new Row("same-account user, NotAction BatchGetImage: list allowed", Who.ALICE, Act.LIST, null,
                doc(stmt("Allow", null, "NotAction", "\"ecr:BatchGetImage\"", null)), Map.of(), true));
        r.add(new Row("same-account user, SourceIp 127.0.0.0/8 matches", Who.ALICE, Act.PULL, null,
                doc(stmt("Allow", null, "Action", PULL_ACTIONS,
                        "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"127.0.0.0/8\"}}")), Map.of(), true));
        r.add(new Row("same-account user, SourceIp 10.0.0.0/8 does not match", Who.ALICE, Act.PULL, null,
                doc(stmt("Allow", null, "Action", PULL_ACTIONS,
                        "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}")), Map.of(), false));
        String blueOnly = doc(stmt("Allow", null, "Action", PULL_ACTIONS,
                "\"Condition\":{\"StringEquals\":{\"ecr:ResourceTag/team\":\"blue\"}}"));
        r.add(new Row("same-account user, resource tag team=blue matches", Who.ALICE, Act.PULL, null, blueOnly,
                Map.of("team", "blue"), true));
        r.add(new Row("same-account user, resource tag team=red does not", Who.ALICE, Act.PULL, null, blueOnly,
                Map.of("team", "red"), false));
        r.add(new Row("other-account root, no resource policy", Who.B_ROOT, Act.PULL, null, null, Map.of(), false));
        r.add(new Row("other-account root, resource allows account B", Who.B_ROOT, Act.PULL,
                doc(stmt("Allow", accountB, "Action", PULL_ACTIONS, null)), null, Map.of(), true));
        r.add(new Row("other-account root, resource allows pull only: push denied", Who.B_ROOT, Act.PUSH,
                doc(stmt("Allow", accountB, "Action", PULL_ACTIONS, null)), null, Map.of(), false));
        r.add(new Row("other-account user, resource allows account B, no identity allow", Who.B_BOB, Act.PULL,
                doc(stmt("Allow", accountB, "Action", PULL_ACTIONS, null)), null, Map.of(), false));
        r.add(new Row("other-account user, resource allows account B, identity allow", Who.B_BOB, Act.PULL,
                doc(stmt("Allow", accountB, "Action", PULL_ACTIONS, null)), identityPull, Map.of(), true));
        r.add(new Row("other-account user, identity allow, no resource policy", Who.B_BOB, Act.PULL, null,
                identityPull, Map.of(), false));
        r.add(new Row("other-account user, resource names the user, identity allow", Who.B_BOB, Act.PULL,
                doc(stmt("Allow", bobArn, "Action", PULL_ACTIONS, null)), identityPull, Map.of(), true));
        r.add(new Row("other-account user, identity deny beats resource allow", Who.B_BOB, Act.PULL,
                doc(stmt("Allow", bobArn, "Action", PULL_ACTIONS, null)),
                doc(stmt("Allow", null, "Action", "\"ecr:*\"", null), stmt("Deny", null, "Action",
                        "\"ecr:BatchGetImage\"", null)), Map.of(), false));
        r.add(new Row("anonymous, no policy", Who.ANONYMOUS, Act.PULL, null, null, Map.of(), false));
        String publicPull = doc(stmt("Allow", "\"*\"", "Action", PULL_ACTIONS, null));
        r.add(new Row("anonymous, public repository: pull", Who.ANONYMOUS, Act.PULL, publicPull, null, Map.of(),
                true));
        r.add(new Row("anonymous, public repository: push refused", Who.ANONYMOUS, Act.PUSH, publicPull, null,
                Map.of(), false));
        r.add(new Row("other-account root, public repository", Who.B_ROOT, Act.PULL, publicPull, null, Map.of(),
                true));
        return r.stream();
    }

    private static int counter;

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decision_bothPlanes_matchAwsLogic(Row row) throws Exception {
        String repo = "dt/row" + (++counter);
        Ecr.push(server, repo, "v1", counter);
        Policies policies = server.app().stores().policies();
        server.app().stores().services().admin(A).tag(RepositoryName.of(repo), row.tags());
        if (row.repoPolicy() != null) {
            policies.setRepositoryPolicy(A, repo, io.berth.core.policy.PolicyParser.repository().parse(
                    row.repoPolicy()));
        }
        RegistryId home = row.who() == Who.ALICE ? A : B;
        String user = row.who() == Who.ALICE ? "alice" : "bob";
        if (row.who() == Who.ALICE || row.who() == Who.B_BOB) {
            policies.deleteUserPolicy(home, user, "dt");
            if (row.identityPolicy() != null) {
                policies.putUserPolicy(home, user, "dt", row.identityPolicy());
            }
        }
        checkV2(row, repo);
        checkEcr(row, repo);
    }

    private void checkV2(Row row, String repo) throws Exception {
        String path = switch (row.act()) {
            case PULL -> "/v2/" + repo + "/manifests/v1";
            case LIST -> "/v2/" + repo + "/tags/list";
            case PUSH -> "/v2/" + repo + "/blobs/uploads/";
        };
        HttpRequest.Builder b = server.anonymous(path);
        b = row.act() == Act.PUSH ? b.POST(HttpRequest.BodyPublishers.noBody()) : b.GET();
        if (row.act() == Act.PULL) {
            b.header("Accept", MediaTypes.OCI_MANIFEST);
        }
        if (row.who() != Who.ANONYMOUS) {
            Key k = keys.get(row.who());
            b.header("Authorization", TestServer.basic(k.id(), k.secret()));
        }
        HttpResponse<byte[]> r = server.send(b);
        int expected = row.allowed() ? (row.act() == Act.PUSH ? 202 : 200)
                : row.who() == Who.ANONYMOUS ? 401 : 403;
        assertThat(r.statusCode()).as("/v2 %s %s as %s: %s", row.act(), path, row.who(), TestServer.describe(r))
                .isEqualTo(expected);
        if (!row.allowed() && row.who() != Who.ANONYMOUS) {
            assertThat(TestServer.text(r)).as("/v2 denial names principal and action").contains("DENIED")
                    .contains(keys.get(row.who()).arn()).contains("is not authorized to perform: ecr:");
        }
        if (r.statusCode() == 401) {
            assertThat(r.headers().firstValue("WWW-Authenticate")).as("challenge on 401").isPresent();
        }
    }

    private void checkEcr(Row row, String repo) {
        AwsCredentialsProvider creds = row.who() == Who.ANONYMOUS ? AnonymousCredentialsProvider.create()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(keys.get(row.who()).id(),
                        keys.get(row.who()).secret()));
        try (EcrClient ecr = Ecr.client(server, creds)) {
            Runnable call = switch (row.act()) {
                case PULL -> () -> assertThat(ecr.batchGetImage(q -> q.registryId(A.value()).repositoryName(repo)
                        .imageIds(ImageIdentifier.builder().imageTag("v1").build())).images())
                        .as("BatchGetImage images").hasSize(1);
                case LIST -> () -> assertThat(ecr.listImages(q -> q.registryId(A.value()).repositoryName(repo))
                        .imageIds()).as("ListImages ids").isNotEmpty();
                case PUSH -> () -> assertThat(ecr.initiateLayerUpload(q -> q.registryId(A.value())
                        .repositoryName(repo)).uploadId()).as("InitiateLayerUpload id").isNotBlank();
            };
            if (row.allowed() && row.who() != Who.ANONYMOUS) {
                call.run();
            } else if (row.who() == Who.ANONYMOUS) {
                // the ECR API has no anonymous access at all: an unsigned call is refused before any policy
                assertThatThrownBy(call::run).as("unsigned ECR %s", row.act()).isInstanceOf(EcrException.class);
            } else {
                assertThatThrownBy(call::run).as("ECR %s as %s", row.act(), row.who())
                        .isInstanceOfSatisfying(EcrException.class, e -> {
                            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                            assertThat(e.awsErrorDetails().errorMessage()).startsWith("User: "
                                    + keys.get(row.who()).arn() + " is not authorized to perform: ecr:");
                        });
            }
        }
    }

    @Test
    void deniedCrossAccount_existingAndMissingRepository_sameAnswer() throws Exception {
        Ecr.push(server, "dt/exists", "v1", 991);
        Key k = keys.get(Who.B_ROOT);
        HttpResponse<byte[]> existing = server.send(server.anonymous("/v2/dt/exists/manifests/v1")
                .header("Authorization", TestServer.basic(k.id(), k.secret())));
        HttpResponse<byte[]> missing = server.send(server.anonymous("/v2/dt/missing/manifests/v1")
                .header("Authorization", TestServer.basic(k.id(), k.secret())));
        assertThat(missing.statusCode()).as("missing: %s", TestServer.describe(missing))
                .isEqualTo(existing.statusCode()).isEqualTo(403);
        assertThat(TestServer.text(missing).replace("dt/missing", "X"))
                .as("the bodies differ only in the repository name")
                .isEqualTo(TestServer.text(existing).replace("dt/exists", "X"));
        try (EcrClient ecr = Ecr.client(server, k.id(), k.secret())) {
            for (String name : List.of("dt/exists", "dt/missing")) {
                assertThatThrownBy(() -> ecr.describeImages(q -> q.registryId(A.value()).repositoryName(name)))
                        .as("DescribeImages of %s from account B", name)
                        .isInstanceOfSatisfying(EcrException.class, e -> assertThat(
                                e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
            }
        }
    }

    @Test
    void catalogAndDescribeRepositories_showOnlyWhatTheCallerMayDescribe() throws Exception {
        Ecr.push(server, "cat/visible", "v1", 992);
        Ecr.push(server, "cat/hidden", "v1", 993);
        Policies policies = server.app().stores().policies();
        policies.putUserPolicy(A, "alice", "catalog", doc(stmt("Allow", null, "Action",
                "\"ecr:DescribeRepositories\"", null).replace("\"Resource\":\"*\"",
                "\"Resource\":\"arn:aws:ecr:us-east-1:" + A + ":repository/cat/visible\"")));
        try {
            Key k = keys.get(Who.ALICE);
            HttpResponse<byte[]> r = server.send(server.anonymous("/v2/_catalog?n=1000")
                    .header("Authorization", TestServer.basic(k.id(), k.secret())));
            assertThat(r.statusCode()).as("catalog: %s", TestServer.describe(r)).isEqualTo(200);
            assertThat(TestServer.text(r)).as("alice's catalog").contains("cat/visible").doesNotContain("cat/hidden");
            HttpResponse<byte[]> root = server.get("/v2/_catalog?n=1000");
            assertThat(TestServer.text(root)).as("root's catalog").contains("cat/visible").contains("cat/hidden");
            try (EcrClient ecr = Ecr.client(server, k.id(), k.secret())) {
                assertThat(ecr.describeRepositories().repositories())
                        .extracting(software.amazon.awssdk.services.ecr.model.Repository::repositoryName)
                        .as("DescribeRepositories without names, as alice").containsExactly("cat/visible");
            }
        } finally {
            policies.deleteUserPolicy(A, "alice", "catalog");
        }
    }

    @Test
    void emptyBasicPair_isAnonymous_pullsPublicRepositoryOnly() throws Exception {
        Ecr.push(server, "pub/app", "v1", 995);
        server.app().stores().policies().setRepositoryPolicy(A, "pub/app", io.berth.core.policy.PolicyParser
                .repository().parse(doc(stmt("Allow", "\"*\"", "Action", PULL_ACTIONS, null))));
        String empty = TestServer.basic("", ""); // what skopeo --no-creds answers a Basic challenge with
        HttpResponse<byte[]> pub = server.send(server.anonymous("/v2/pub/app/manifests/v1")
                .header("Accept", MediaTypes.OCI_MANIFEST).header("Authorization", empty));
        assertThat(pub.statusCode()).as("public pull with an empty Basic pair: %s", TestServer.describe(pub))
                .isEqualTo(200);
        HttpResponse<byte[]> push = server.send(server.anonymous("/v2/pub/app/blobs/uploads/")
                .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", empty));
        assertThat(push.statusCode()).as("push with an empty Basic pair: %s", TestServer.describe(push))
                .isEqualTo(401);
    }

    @Test
    void v2Base_anonymous_challengedWith401() throws Exception {
        HttpResponse<byte[]> r = server.send(server.anonymous("/v2/"));
        assertThat(r.statusCode()).as("anonymous GET /v2/: %s", TestServer.describe(r)).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).as("challenge").hasValueSatisfying(v ->
                assertThat(v).startsWith("Basic realm="));
    }

    @Test
    void mount_withoutPullOnSource_fallsBackToUpload() throws Exception {
        Ecr.Pushed src = Ecr.push(server, "mnt/private", "v1", 994);
        Policies policies = server.app().stores().policies();
        policies.createPolicy(A, "push-target-only", doc(stmt("Allow", null, "Action", "\"ecr:*\"", null)
                .replace("\"Resource\":\"*\"", "\"Resource\":\"arn:aws:ecr:us-east-1:" + A
                        + ":repository/mnt/target\"")));
        policies.attachUserPolicy(A, "alice", "arn:aws:iam::" + A + ":policy/push-target-only");
        server.app().stores().services().admin(A).create(RepositoryName.of("mnt/target"),
                RepositoryView.Settings.DEFAULT, Map.of());
        try {
            Key k = keys.get(Who.ALICE);
            HttpResponse<byte[]> r = server.send(server.anonymous("/v2/mnt/target/blobs/uploads/?mount="
                    + src.layer() + "&from=mnt/private").POST(HttpRequest.BodyPublishers.noBody())
                    .header("Authorization", TestServer.basic(k.id(), k.secret())));
            assertThat(r.statusCode()).as("mount without pull on the source: %s", TestServer.describe(r))
                    .isEqualTo(202);
            assertThat(r.headers().firstValue("Location")).as("an upload session").hasValueSatisfying(v ->
                    assertThat(v).contains("/blobs/uploads/"));
            HttpResponse<byte[]> rootMount = server.send("POST", "/v2/mnt/target/blobs/uploads/?mount="
                    + src.layer() + "&from=mnt/private", null);
            assertThat(rootMount.statusCode()).as("the root may mount it: %s", TestServer.describe(rootMount))
                    .isEqualTo(201);
        } finally {
            policies.detachUserPolicy(A, "alice", "arn:aws:iam::" + A + ":policy/push-target-only");
        }
    }

}
