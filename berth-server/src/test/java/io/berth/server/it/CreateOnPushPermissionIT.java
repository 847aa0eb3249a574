package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.server.access.Policies;
import io.berth.server.auth.Identities;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue #7 item 5: creating a repository by pushing to a new name needs {@code ecr:CreateRepository}, exactly as
 * CreateRepository does (an explicit Deny wins). A user allowed every push action but denied (or simply not
 * allowed) CreateRepository got 201 from a {@code /v2/} push to a new name; now DENIED, and nothing is created.
 */
class CreateOnPushPermissionIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    static final RegistryId A = new RegistryId(TestServer.ACCOUNT);
    static final String PUSH = "[\"ecr:InitiateLayerUpload\",\"ecr:UploadLayerPart\",\"ecr:CompleteLayerUpload\","
            + "\"ecr:PutImage\",\"ecr:BatchCheckLayerAvailability\",\"ecr:BatchGetImage\","
            + "\"ecr:GetDownloadUrlForLayer\"]";
    static String denied;
    static String notAllowed;

    @BeforeAll
    static void users() {
        Identities ids = server.app().stores().identities();
        Policies policies = server.app().stores().policies();
        ids.createUser(A, "denied");
        Identities.NewKey d = ids.createAccessKey(A, "denied");
        denied = TestServer.basic(d.accessKeyId(), d.secret());
        policies.putUserPolicy(A, "denied", "push", "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":\"ecr:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"ecr:CreateRepository\",\"Resource\":\"*\"}]}");
        ids.createUser(A, "pusher");
        Identities.NewKey p = ids.createAccessKey(A, "pusher");
        notAllowed = TestServer.basic(p.accessKeyId(), p.secret());
        policies.putUserPolicy(A, "pusher", "push", "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":" + PUSH + ",\"Resource\":\"*\"}]}");
    }

    private static HttpResponse<byte[]> send(String auth, String method, String path, byte[] body, String... headers)
            throws Exception {
        return server.sendAs(auth, method, path, body, headers);
    }

    private static boolean exists(String repo) {
        return server.app().stores().services().admin(A).find(RepositoryName.of(repo)).isPresent();
    }

    /** Every push that could create the repository: upload start, monolithic upload, mount, manifest PUT. */
    private static void assertEveryCreatingPushDenied(String who, String auth, String repo) throws Exception {
        byte[] blob = ("blob of " + repo).getBytes(StandardCharsets.UTF_8);
        Digest d = server.pushBlob("cop/source", blob);
        String manifest = Fixtures.ociManifest(d, blob.length, d, blob.length);
        HttpResponse<?>[] answers = {
                send(auth, "POST", "/v2/" + repo + "/blobs/uploads/", null),
                send(auth, "POST", "/v2/" + repo + "/blobs/uploads/?digest=" + d, blob),
                send(auth, "POST", "/v2/" + repo + "/blobs/uploads/?mount=" + d + "&from=cop/source", null),
                send(auth, "PUT", "/v2/" + repo + "/manifests/v1", manifest.getBytes(StandardCharsets.UTF_8),
                        "Content-Type", MediaTypes.OCI_MANIFEST)};
        for (HttpResponse<?> r : answers) {
            @SuppressWarnings("unchecked") HttpResponse<byte[]> rb = (HttpResponse<byte[]>) r;
            assertThat(rb.statusCode()).as("%s pushing to new %s: %s", who, repo, TestServer.describe(rb))
                    .isEqualTo(403);
            assertThat(TestServer.text(rb)).contains("\"DENIED\"")
                    .contains("is not authorized to perform: ecr:CreateRepository");
        }
        assertThat(exists(repo)).as("%s's pushes created %s", who, repo).isFalse();
    }

    @Test
    void pushToNewName_createRepositoryDenied_deniedAndNothingCreated() throws Exception {
        assertEveryCreatingPushDenied("a user denied CreateRepository", denied, "cop/denied");
    }

    @Test
    void pushToNewName_createRepositoryNotAllowed_deniedAndNothingCreated() throws Exception {
        assertEveryCreatingPushDenied("a user allowed only the push actions", notAllowed, "cop/not-allowed");
    }

    @Test
    void pushToExistingRepository_needsNoCreatePermission_andRootStillCreatesOnPush() throws Exception {
        Ecr.push(server, "cop/by-root", "v1", 5); // the root creates by push, as before
        assertThat(exists("cop/by-root")).as("created by the root's push").isTrue();
        HttpResponse<byte[]> r = send(notAllowed, "POST", "/v2/cop/by-root/blobs/uploads/", null);
        assertThat(r.statusCode()).as("push action into an existing repository: %s", TestServer.describe(r))
                .isEqualTo(202);
    }
}
