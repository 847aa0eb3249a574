package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.berth.core.model.MediaTypes;
import io.berth.core.spi.meta.AuditEvent;
import io.berth.core.spi.meta.AuditQuery;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EcrException;

/**
 * Issue #7 items 1, 3 (audit half) and 8 on the ECR API ({@code POST /}) of a real server with authentication:
 * bodies are not read before the headers authenticate the call, each operation's body is capped at ECR's limits,
 * the audit trail records capped parameters and only valid names, and the operation must be signed.
 */
class AwsRequestSafetyIT {
    @RegisterExtension
    static final TestServer SERVER = new TestServer();
    /** Per-operation caps (EcrBodyLimits): base64 of a 20 MiB part, 3 bytes per byte of a 4 MiB manifest, 256 KiB. */
    static final int UPLOAD_LAYER_PART_CAP = 27_962_028 + 65_536;
    static final int PUT_IMAGE_CAP = 3 * 4_194_304 + 65_536;
    static final int OTHER_CAP = 256 * 1024;
    static EcrClient ecr;

    @BeforeAll
    static void client() { ecr = SERVER.ecr(); }

    /** Sends only the head of a {@code Content-Length: 29000000} request and expects an answer without the body. */
    private static AwsRaw.Response hugeBodyNeverSent(Map<String, String> headers) throws Exception {
        return AwsRaw.exchange(SERVER.port(), AwsRaw.head(AwsRaw.with(headers, "content-length", "29000000")),
                new byte[0], 0);
    }

    private static void assertAwsError(AwsRaw.Response r, int status, String type, String message) {
        assertThat(r.status()).as("status of %s", r).isEqualTo(status);
        assertThat(r.header("X-Amzn-Errortype")).as("error type of %s", r).isEqualTo(type);
        assertThat(r.body()).as("body of %s", r).contains(message);
    }

    @Test
    void hugeBody_refusedFromItsHeadersAlone_withoutWaitingForTheBody() throws Exception {
        int port = SERVER.port();
        byte[] any = "{}".getBytes(StandardCharsets.UTF_8);
        Instant now = Instant.now();
        // each: POST / with Content-Length: 29000000, no body byte sent; the answer must come at once
        AwsRaw.Response none = hugeBodyNeverSent(AwsRaw.unsigned(port, "DescribeRepositories"));
        assertAwsError(none, 403, "MissingAuthenticationTokenException", "Missing Authentication Token");
        AwsRaw.Response unknownKey = hugeBodyNeverSent(AwsRaw.signed(port, "DescribeRepositories", any,
                "AKIAUNKNOWN000000000", "us-east-1", now, AwsRaw.ALL_SIGNED));
        assertAwsError(unknownKey, 400, "UnrecognizedClientException", "The security token included");
        AwsRaw.Response expired = hugeBodyNeverSent(AwsRaw.signed(port, "DescribeRepositories", any,
                TestServer.ROOT_KEY_ID, "us-east-1", now.minus(Duration.ofMinutes(20)), AwsRaw.ALL_SIGNED));
        assertAwsError(expired, 400, "InvalidSignatureException", "Signature expired");
        AwsRaw.Response otherRegion = hugeBodyNeverSent(AwsRaw.signed(port, "DescribeRepositories", any,
                TestServer.ROOT_KEY_ID, "eu-west-1", now, AwsRaw.ALL_SIGNED));
        assertAwsError(otherRegion, 400, "InvalidSignatureException", "Credential should be scoped to a valid region");
        for (AwsRaw.Response r : List.of(none, unknownKey, expired, otherRegion)) {
            assertThat(r.millis()).as("answered without waiting for the 29 MB body: %s", r).isLessThan(3000);
            assertThat(r.header("Connection")).as("the unread body closes the connection: %s", r).isEqualTo("close");
        }
    }

    @Test
    void smallRefusedBody_answered_andTheConnectionStaysUsable() throws Exception {
        byte[] body = ("{\"repositoryName\":\"" + "a".repeat(80) + "\"}").getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket("127.0.0.1", SERVER.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            // head and body in one write, as a client sends a small request: Jetty keeps the connection when the
            // unread body has already arrived (it drops what is there without blocking); a body still on its way
            // when the refusal is sent closes the connection instead, which is the point for large ones
            byte[] head = AwsRaw.head(AwsRaw.with(AwsRaw.unsigned(SERVER.port(), "CreateRepository"),
                    "content-length", String.valueOf(body.length))).getBytes(StandardCharsets.US_ASCII);
            byte[] whole = java.util.Arrays.copyOf(head, head.length + body.length);
            System.arraycopy(body, 0, whole, head.length, body.length);
            out.write(whole);
            out.flush();
            AwsRaw.Response refused = AwsRaw.read(in, System.nanoTime());
            assertAwsError(refused, 403, "MissingAuthenticationTokenException", "Missing Authentication Token");
            assertThat(refused.header("Connection")).as("a small body keeps the connection: %s", refused).isNull();
            out.write(("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            AwsRaw.Response health = AwsRaw.read(in, System.nanoTime());
            assertThat(health.status()).as("second request on the same connection: %s", health).isEqualTo(200);
        }
    }

    @Test
    void signedBodyOverItsOperationsCap_413BeforeTheBodyIsRead() throws Exception {
        int port = SERVER.port();
        Object[][] cases = {{"PutImage", PUT_IMAGE_CAP + 1}, {"UploadLayerPart", UPLOAD_LAYER_PART_CAP + 1},
                {"DescribeRepositories", 300 * 1024}};
        for (Object[] c : cases) {
            // signed with the root key; the declared body is never sent, so the signature cannot be what refuses it
            Map<String, String> h = AwsRaw.signed(port, (String) c[0], new byte[0]);
            AwsRaw.Response r = AwsRaw.exchange(port, AwsRaw.head(AwsRaw.with(h, "content-length",
                    String.valueOf(c[1]))), new byte[0], 0);
            assertAwsError(r, 413, "RequestEntityTooLargeException", "Request body exceeds the limit");
            assertThat(r.millis()).as("%s of %s bytes refused at once: %s", c[0], c[1], r).isLessThan(3000);
        }
    }

    @Test
    void chunkedBodyOverTheCap_refusedAsSoonAsItPassesIt() throws Exception {
        int port = SERVER.port();
        Map<String, String> h = AwsRaw.with(AwsRaw.signed(port, "DescribeRepositories", new byte[0]),
                "transfer-encoding", "chunked");
        byte[] chunk = new byte[OTHER_CAP + 1];
        Arrays.fill(chunk, (byte) ' ');
        byte[] framed = (Integer.toHexString(chunk.length) + "\r\n" + new String(chunk, StandardCharsets.US_ASCII)
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
        // one chunk one byte over the cap, and no last chunk: the server must not wait for the end of the body
        AwsRaw.Response r = AwsRaw.exchange(port, AwsRaw.head(h), framed, framed.length);
        assertAwsError(r, 413, "RequestEntityTooLargeException", "Request body exceeds the limit of " + OTHER_CAP);
        assertThat(r.header("Connection")).isEqualTo("close");
    }

    @Test
    void largestValidRequests_stillAccepted_andOneByteMoreIsInvalidParameter() throws Exception {
        String repo = "safety/big";
        ecr.createRepository(b -> b.repositoryName(repo));
        String upload = ecr.initiateLayerUpload(b -> b.repositoryName(repo)).uploadId();
        byte[] part = new byte[20 * 1024 * 1024];
        var uploaded = ecr.uploadLayerPart(b -> b.repositoryName(repo).uploadId(upload).partFirstByte(0L)
                .partLastByte((long) part.length - 1).layerPartBlob(SdkBytes.fromByteArray(part)));
        assertThat(uploaded.lastByteReceived()).as("a 20 MiB part, signed by the SDK").isEqualTo(part.length - 1);
        byte[] tooBig = new byte[part.length + 1];
        EcrException partTooBig = catchThrowableOfType(() -> ecr.uploadLayerPart(b -> b.repositoryName(repo)
                .uploadId(upload).partFirstByte((long) part.length).partLastByte((long) part.length + tooBig.length - 1)
                .layerPartBlob(SdkBytes.fromByteArray(tooBig))), EcrException.class);
        assertThat(partTooBig.awsErrorDetails().errorCode()).as("a part of 20 MiB + 1 (within the body cap)")
                .isEqualTo("InvalidParameterException");

        Ecr.Pushed image = Ecr.blobs(SERVER, repo, 7);
        String manifest = padded(image.manifest(), 4_194_304);
        var put = ecr.putImage(b -> b.repositoryName(repo).imageManifest(manifest).imageTag("big")
                .imageManifestMediaType(MediaTypes.OCI_MANIFEST));
        assertThat(put.image().imageId().imageTag()).as("PutImage of a 4,194,304-character manifest").isEqualTo("big");
        EcrException manifestTooBig = catchThrowableOfType(() -> ecr.putImage(b -> b.repositoryName(repo)
                .imageManifest(padded(image.manifest(), 4_194_305)).imageTag("bigger")), EcrException.class);
        assertThat(manifestTooBig.awsErrorDetails().errorCode()).as("a manifest of 4,194,305 characters")
                .isEqualTo("InvalidParameterException");
        assertThat(manifestTooBig.awsErrorDetails().errorMessage()).contains("imageManifest");
    }

    /** {@code manifest} with an annotation that pads it to exactly {@code length} characters. */
    static String padded(String manifest, int length) {
        String head = manifest.substring(0, manifest.length() - 1) + ",\"annotations\":{\"pad\":\"";
        String tail = "\"}}";
        return head + "x".repeat(length - head.length() - tail.length()) + tail;
    }

    @Test
    void operationNotSigned_replayedAsAnotherOperation_refused_imageStillThere() throws Exception {
        String repo = "safety/replay";
        ecr.createRepository(b -> b.repositoryName(repo));
        Ecr.Pushed image = Ecr.push(SERVER, repo, "v1", 11);
        byte[] body = ("{\"repositoryName\":\"" + repo + "\",\"imageIds\":[{\"imageTag\":\"v1\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        // a BatchGetImage signed with SignedHeaders=content-type;host;x-amz-date, as captured on the wire
        Map<String, String> captured = AwsRaw.signed(SERVER.port(), "BatchGetImage", body, TestServer.ROOT_KEY_ID,
                "us-east-1", Instant.now(), List.of("content-type", "host", "x-amz-date"));
        Map<String, String> replayed = AwsRaw.with(captured, "x-amz-target", AwsRaw.ECR + "BatchDeleteImage");
        for (Map<String, String> h : List.of(captured, replayed)) {
            AwsRaw.Response r = AwsRaw.exchange(SERVER.port(), AwsRaw.head(AwsRaw.with(h, "content-length",
                    String.valueOf(body.length))), body, body.length);
            assertAwsError(r, 400, "InvalidSignatureException",
                    "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.");
        }
        var still = ecr.describeImages(b -> b.repositoryName(repo)).imageDetails();
        assertThat(still).as("the image the replay tried to delete").singleElement()
                .satisfies(d -> assertThat(d.imageDigest()).isEqualTo(image.digest().toString()));
    }

    @Test
    void presignedWithExpiresOfTwoToThe40_refused() throws Exception {
        String date = io.berth.server.auth.RawSigV4.amzDate(Instant.now());
        String query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + TestServer.ROOT_KEY_ID + "%2F"
                + date.substring(0, 8) + "%2Fus-east-1%2Fecr%2Faws4_request&X-Amz-Date=" + date
                + "&X-Amz-Expires=1099511627776&X-Amz-SignedHeaders=host%3Bx-amz-target&X-Amz-Signature=" + "0".repeat(64);
        var r = SERVER.send(SERVER.anonymous("/?" + query).POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", AwsRaw.ECR + "DescribeRepositories"));
        assertThat(r.statusCode()).as(TestServer.describe(r)).isEqualTo(400);
        assertThat(r.headers().firstValue("X-Amzn-Errortype")).hasValue("IncompleteSignatureException");
        assertThat(TestServer.text(r)).contains("the maximum expires is 604800 seconds");
    }

    @Test
    void audit_hugeUnauthenticatedName_recordedWithoutParameters_largeSignedName_capped() throws Exception {
        byte[] huge = ("{\"repositoryName\":\"" + "a".repeat(8 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        // unauthenticated, 8 MiB repositoryName; only the first 64 KiB are sent: the server answers from the headers
        AwsRaw.Response anonymous = AwsRaw.exchange(SERVER.port(), AwsRaw.head(AwsRaw.with(AwsRaw.unsigned(
                SERVER.port(), "CreateRepository"), "content-length", String.valueOf(huge.length))), huge, 65536);
        assertAwsError(anonymous, 403, "MissingAuthenticationTokenException", "Missing Authentication Token");
        AuditEvent refused = event(anonymous.header("x-amzn-RequestId"));
        assertThat(refused.errorCode()).isEqualTo("MissingAuthenticationTokenException");
        assertThat(refused.requestParameters()).as("nothing of the unread body").isNull();
        assertThat(refused.repository()).as("no repository column").isNull();

        // signed, a 200 KiB repositoryName (within CreateRepository's 256 KiB cap): InvalidParameterException
        byte[] large = ("{\"repositoryName\":\"" + "b".repeat(200 * 1024) + "\",\"imageTagMutability\":\"MUTABLE\"}")
                .getBytes(StandardCharsets.UTF_8);
        AwsRaw.Response invalid = AwsRaw.exchange(SERVER.port(), AwsRaw.head(AwsRaw.with(AwsRaw.signed(SERVER.port(),
                "CreateRepository", large), "content-length", String.valueOf(large.length))), large, large.length);
        assertAwsError(invalid, 400, "InvalidParameterException", "repositoryName");
        AuditEvent capped = event(invalid.header("x-amzn-RequestId"));
        assertThat(capped.requestParameters()).as("recorded parameters of a 200 KiB request")
                .startsWith("{\"truncated\":true,\"chars\":").contains("\"imageTagMutability\":\"MUTABLE\"")
                .doesNotContain("bbbb");
        assertThat(capped.requestParameters().length()).isLessThanOrEqualTo(4096);
        assertThat(capped.repository()).as("an invalid name is not put in the repository column").isNull();
        assertThat(capped.registryId()).as("the caller's account").isEqualTo(TestServer.ACCOUNT);
    }

    /** The audit event of the request with {@code requestId}, once the asynchronous log has written it. */
    private static AuditEvent event(String requestId) throws Exception {
        for (int i = 0; i < 100; i++) {
            Optional<AuditEvent> e = SERVER.app().stores().metadata().read(tx -> tx.audit().query(
                    AuditQuery.latest(100))).events().stream().filter(a -> requestId.equals(a.requestId())).findFirst();
            if (e.isPresent()) {
                return e.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no audit event for request " + requestId);
    }
}
