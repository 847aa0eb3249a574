package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.MediaTypes;
import io.berth.core.spi.meta.AuditEvent;
import io.berth.core.spi.meta.AuditQuery;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.BatchDeleteImageResponse;
import software.amazon.awssdk.services.ecr.model.CreateRepositoryResponse;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.GetAuthorizationTokenResponse;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.PutImageResponse;

/** The audit trail end to end: events of both planes and of {@code berth admin}, as stored and as queried. */
class AuditIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static final String ROOT_ARN = "arn:aws:iam::" + TestServer.ACCOUNT + ":root";

    /** Events are written asynchronously (at most ~200 ms later): wait for the ones a test expects. */
    private static List<AuditEvent> await(AuditQuery q, Predicate<List<AuditEvent>> done) throws Exception {
        List<AuditEvent> events = List.of();
        for (int i = 0; i < 100; i++) {
            events = server.app().stores().metadata().read(tx -> tx.audit().query(q)).events();
            if (done.test(events)) {
                return events;
            }
            Thread.sleep(50);
        }
        return events;
    }

    private static AuditEvent one(String repository, String eventName) throws Exception {
        List<AuditEvent> found = await(new AuditQuery(null, null, null, repository, eventName, 10, null),
                l -> !l.isEmpty());
        assertThat(found).as("%s events of %s", eventName, repository).hasSize(1);
        return found.get(0);
    }

    @Test
    void pushOverV2_recordsLayerUploadsAndPutImage_withPrincipalSourceAndRequestId() throws Exception {
        Ecr.Pushed p = Ecr.blobs(server, "audit/v2push", 1);
        HttpResponse<byte[]> r = server.putManifest("audit/v2push", "v1", MediaTypes.OCI_MANIFEST, p.manifest());
        assertThat(r.statusCode()).isEqualTo(201);
        AuditEvent put = one("audit/v2push", "PutImage");
        assertThat(put.eventSource()).isEqualTo(AuditEvent.SOURCE_REGISTRY);
        assertThat(put.userIdentity().arn()).isEqualTo(ROOT_ARN);
        assertThat(put.userIdentity().type()).isEqualTo("Root");
        assertThat(put.userIdentity().accessKeyId()).isEqualTo(TestServer.ROOT_KEY_ID);
        assertThat(put.sourceIPAddress()).isEqualTo("127.0.0.1");
        assertThat(put.userAgent()).as("java.net.http's agent").startsWith("Java-http-client");
        assertThat(put.requestId()).as("the id the response carried")
                .isEqualTo(r.headers().firstValue("x-amzn-RequestId").orElseThrow());
        assertThat(put.requestParameters()).contains("\"imageTag\":\"v1\"").contains(MediaTypes.OCI_MANIFEST)
                .doesNotContain("schemaVersion");
        assertThat(put.responseElements()).contains(p.digest().toString());
        assertThat(put.errorCode()).isNull();
        assertThat(put.registryId()).isEqualTo(TestServer.ACCOUNT);
        List<AuditEvent> layers = await(new AuditQuery(null, null, null, "audit/v2push", "CompleteLayerUpload", 10,
                null), l -> l.size() == 2);
        assertThat(layers).extracting(AuditEvent::responseElements).anySatisfy(e -> assertThat(e)
                .contains(p.layer().toString()));
    }

    @Test
    void deleteOverV2_recordsBatchDeleteImage_andFailedPushRecordsErrorCode() throws Exception {
        Ecr.Pushed p = Ecr.push(server, "audit/v2delete", "v1", 2);
        assertThat(server.send("DELETE", "/v2/audit/v2delete/manifests/" + p.digest(), null).statusCode())
                .isEqualTo(202);
        assertThat(one("audit/v2delete", "BatchDeleteImage").requestParameters())
                .contains("\"imageDigest\":\"" + p.digest() + "\"");
        HttpResponse<byte[]> bad = server.putManifest("audit/v2delete", "broken", MediaTypes.OCI_MANIFEST, "{}");
        assertThat(bad.statusCode()).isEqualTo(400);
        List<AuditEvent> puts = await(new AuditQuery(null, null, null, "audit/v2delete", "PutImage", 10, null),
                l -> l.stream().anyMatch(AuditEvent::failed));
        assertThat(puts).filteredOn(AuditEvent::failed).singleElement()
                .satisfies(e -> assertThat(e.errorCode()).isEqualTo("MANIFEST_INVALID"));
    }

    @Test
    void ecrCalls_recordedWithOperationNames_requestIdsMatchTheSdks_noManifestBodies() throws Exception {
        EcrClient ecr = server.ecr();
        CreateRepositoryResponse created = ecr.createRepository(b -> b.repositoryName("audit/ecr"));
        Ecr.Pushed p = Ecr.blobs(server, "audit/ecr", 3);
        PutImageResponse put = ecr.putImage(b -> b.repositoryName("audit/ecr").imageTag("v1")
                .imageManifest(p.manifest()));
        BatchDeleteImageResponse deleted = ecr.batchDeleteImage(b -> b.repositoryName("audit/ecr")
                .imageIds(ImageIdentifier.builder().imageTag("v1").build()));
        assertThat(deleted.imageIds()).hasSize(1);

        AuditEvent create = one("audit/ecr", "CreateRepository");
        assertThat(create.eventSource()).isEqualTo("ecr.amazonaws.com");
        assertThat(create.requestId()).isEqualTo(created.responseMetadata().requestId());
        assertThat(create.userIdentity().arn()).isEqualTo(ROOT_ARN);
        assertThat(create.sourceIPAddress()).isEqualTo("127.0.0.1");
        assertThat(create.userAgent()).contains("aws-sdk-java");

        AuditEvent putImage = one("audit/ecr", "PutImage");
        assertThat(putImage.requestId()).isEqualTo(put.responseMetadata().requestId());
        assertThat(putImage.requestParameters()).contains("\"imageTag\":\"v1\"")
                .contains("\"imageManifestSize\":" + p.manifest().getBytes(StandardCharsets.UTF_8).length)
                .doesNotContain("schemaVersion").doesNotContain("imageManifest\"");
        assertThat(putImage.responseElements()).contains(p.digest().toString()).doesNotContain("schemaVersion");
        assertThat(one("audit/ecr", "BatchDeleteImage").requestId())
                .isEqualTo(deleted.responseMetadata().requestId());

        EcrException missing = org.assertj.core.api.Assertions.catchThrowableOfType(() -> ecr.describeImages(
                b -> b.repositoryName("audit/nope")), EcrException.class);
        assertThat(one("audit/nope", "DescribeImages").errorCode()).isEqualTo("RepositoryNotFoundException");
        assertThat(missing.requestId()).isEqualTo(one("audit/nope", "DescribeImages").requestId());
    }

    @Test
    void denials_andFailedAuthentication_recordedWithErrorCode() throws Exception {
        // wrong secret for a real key: 401, and the trail names the key that was presented
        HttpResponse<byte[]> r = server.send(server.anonymous("/v2/audit/denied/tags/list")
                .header("Authorization", TestServer.basic(TestServer.ROOT_KEY_ID, "not-the-secret-at-all")));
        assertThat(r.statusCode()).isEqualTo(401);
        AuditEvent unauthorized = one("audit/denied", "ListImages");
        assertThat(unauthorized.errorCode()).isEqualTo("UNAUTHORIZED");
        assertThat(unauthorized.userIdentity().type()).isEqualTo("Anonymous");
        assertThat(unauthorized.userIdentity().accessKeyId()).isEqualTo(TestServer.ROOT_KEY_ID);
        assertThat(unauthorized.requestId()).isEqualTo(r.headers().firstValue("x-amzn-RequestId").orElseThrow());

        // a valid principal at another account's host: 403 DENIED, with who was denied
        String response = server.rawGet("123456789012.dkr.ecr.us-east-1.localhost", "/v2/audit/other/manifests/v1",
                server.basicAuth());
        assertThat(response).startsWith("HTTP/1.1 403");
        AuditEvent denied = one("audit/other", "BatchGetImage");
        assertThat(denied.errorCode()).isEqualTo("DENIED");
        assertThat(denied.userIdentity().arn()).isEqualTo(ROOT_ARN);
        assertThat(denied.registryId()).as("the account whose registry was asked for").isEqualTo("123456789012");

        // an ECR call with an unknown key
        try (EcrClient forged = Ecr.client(server, "AKIAFORGED0000000000", "forged-secret-forged-secret")) {
            org.assertj.core.api.Assertions.catchThrowableOfType(() -> forged.describeImages(
                    b -> b.repositoryName("audit/forged")), EcrException.class);
        }
        // refused from its headers alone, so its body (and the repository it names) was never read
        List<AuditEvent> forgedCalls = await(new AuditQuery(null, null, null, null, "DescribeImages", 100, null),
                l -> l.stream().anyMatch(e -> "UnrecognizedClientException".equals(e.errorCode())));
        AuditEvent ecrDenied = forgedCalls.stream().filter(e -> "UnrecognizedClientException".equals(e.errorCode()))
                .findFirst().orElseThrow();
        assertThat(ecrDenied.userIdentity().accessKeyId()).isEqualTo("AKIAFORGED0000000000");
        assertThat(ecrDenied.repository()).as("no repository column from an unread body").isNull();
        assertThat(ecrDenied.requestParameters()).as("no parameters from an unread body").isNull();

        // the challenge step of a docker login (no credentials at all) is not an event
        assertThat(server.send(server.anonymous("/v2/audit/challenge/tags/list")).statusCode()).isEqualTo(401);
        Thread.sleep(400);
        assertThat(server.app().stores().metadata().read(tx -> tx.audit().query(new AuditQuery(null, null,
                null, "audit/challenge", null, 10, null))).events()).isEmpty();
    }

    @Test
    void secrets_neverStored() throws Exception {
        String token;
        GetAuthorizationTokenResponse t = server.ecr().getAuthorizationToken();
        token = t.authorizationData().get(0).authorizationToken();
        List<AuditEvent> events = await(new AuditQuery(null, null, null, null, "GetAuthorizationToken", 10, null),
                l -> !l.isEmpty());
        assertThat(events).isNotEmpty();
        assertThat(events.get(0).responseElements()).contains("\"authorizationToken\":\"***\"");
        server.send(server.anonymous("/v2/audit/secret/tags/list")
                .header("Authorization", TestServer.basic(TestServer.ROOT_KEY_ID, "wrong-secret-value-123")));
        one("audit/secret", "ListImages");
        List<String> raw = new ArrayList<>();
        server.app().stores().metadata().read(tx -> tx.audit().query(AuditQuery.latest(1000))).events()
                .forEach(e -> raw.add(e.toString()));
        assertThat(String.join("\n", raw)).doesNotContain(token).doesNotContain(TestServer.ROOT_SECRET)
                .doesNotContain("wrong-secret-value-123");
    }

    @Test
    void pulls_areCountedNotRecorded_andUpdateLastRecordedPullTime() throws Exception {
        Ecr.Pushed p = Ecr.push(server, "audit/pull", "v1", 4);
        assertThat(server.get("/v2/audit/pull/manifests/v1", "Accept", MediaTypes.OCI_MANIFEST).statusCode())
                .isEqualTo(200);
        assertThat(server.get("/v2/audit/pull/blobs/" + p.layer()).statusCode()).isEqualTo(200);
        assertThat(server.app().stores().pulls().count(TestServer.ACCOUNT, "audit/pull")).isEqualTo(1);
        EcrClient ecr = server.ecr();
        ImageDetail detail = null;
        for (int i = 0; i < 100 && (detail == null || detail.lastRecordedPullTime() == null); i++) {
            Thread.sleep(50);
            detail = ecr.describeImages(b -> b.repositoryName("audit/pull")).imageDetails().get(0);
        }
        assertThat(detail.lastRecordedPullTime()).as("lastRecordedPullTime after a /v2 pull").isNotNull();
        Thread.sleep(400);
        assertThat(server.app().stores().metadata().read(tx -> tx.audit().query(new AuditQuery(null, null,
                null, "audit/pull", null, 100, null))).events()).filteredOn(e -> e.eventSource().equals("registry"))
                .extracting(AuditEvent::eventName).as("only the push, no pull").containsOnly("CompleteLayerUpload", "PutImage");
    }

    @Test
    void adminAudit_filtersAndAdminChangesAreRecorded() throws Exception {
        Ecr.push(server, "audit/cli", "v1", 5);
        one("audit/cli", "PutImage");
        String created = server.admin("create-user", "auditor", "--with-key");
        assertThat(created).contains("SecretAccessKey");

        String table = server.admin("audit", "--repository", "audit/cli");
        assertThat(table).contains("PutImage").contains(ROOT_ARN).contains("127.0.0.1")
                .doesNotContain("CreateUser");
        String json = server.admin("audit", "--event", "CreateUser", "--since", "1h", "--json");
        assertThat(json.strip().lines()).hasSize(1);
        assertThat(json).contains("\"eventSource\":\"berth-admin\"").contains("\"userName\":\"auditor\"")
                .contains("\"type\":\"LocalAdmin\"").doesNotContain("SecretAccessKey");
        assertThat(server.admin("audit", "--principal", TestServer.ROOT_KEY_ID, "--repository", "audit/cli", "--json")
                .strip().lines()).hasSize(3).allSatisfy(l -> assertThat(l).contains(TestServer.ROOT_KEY_ID));
        assertThat(server.admin("audit", "--to", "2000-01-01T00:00:00Z", "--json")).isBlank();
        assertThat(server.admin("audit", "--limit", "2", "--json").strip().lines()).hasSize(2);
    }
}
