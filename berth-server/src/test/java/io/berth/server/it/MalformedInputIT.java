package io.berth.server.it;

import static io.berth.server.it.TestServer.describe;
import static io.berth.server.it.TestServer.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every malformed request gets a 4xx with an OCI error body, and nothing is stored. */
class MalformedInputIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static void assertNothingStored(String repo) throws Exception {
        HttpResponse<byte[]> tags = server.get("/v2/" + repo + "/tags/list");
        if (tags.statusCode() == 200) {
            assertThat(text(tags)).as("no tags in %s: %s", repo, describe(tags)).contains("\"tags\":[]");
        } else {
            assertThat(tags.statusCode()).as("repo %s absent: %s", repo, describe(tags)).isEqualTo(404);
        }
    }

    private static void assert4xx(HttpResponse<byte[]> r, int status, String code, String what) {
        assertThat(r.statusCode()).as("%s: %s", what, describe(r)).isEqualTo(status);
        if (!r.request().method().equals("HEAD")) {
            assertThat(text(r)).as("%s: OCI error body", what).contains("\"errors\"").contains(code);
        }
    }

    @Test
    void brokenJsonAndWrongMediaTypes() throws Exception {
        assert4xx(server.putManifest("bad/json", "v1", MediaTypes.OCI_MANIFEST, "{\"schemaVersion\":2,"), 400,
                "MANIFEST_INVALID", "truncated JSON");
        assert4xx(server.putManifest("bad/json", "v1", MediaTypes.OCI_MANIFEST, "[1,2,3]"), 400,
                "MANIFEST_INVALID", "JSON array");
        assert4xx(server.putManifest("bad/json", "v1", "application/x-unknown", "{\"schemaVersion\":2}"), 400,
                "MANIFEST_INVALID", "unknown media type");
        assert4xx(server.putManifest("bad/json", "v1",
                "application/vnd.docker.distribution.manifest.v1+prettyjws", "{\"schemaVersion\":1}"), 400,
                "MANIFEST_INVALID", "schema 1");
        assertNothingStored("bad/json");
    }

    @Test
    void badDigests() throws Exception {
        String shortHex = "sha256:" + "a".repeat(63);
        String md5 = "md5:" + "a".repeat(32);
        String upper = "sha256:" + "A".repeat(64);
        for (String d : new String[] {shortHex, md5, upper, "sha256:", "sha512:" + "a".repeat(64)}) {
            assert4xx(server.get("/v2/bad/digest/blobs/" + d), 400, "DIGEST_INVALID", "GET blob " + d);
            assert4xx(server.send("POST", "/v2/bad/digest/blobs/uploads/?digest=" + d, new byte[] {1}), 400,
                    "DIGEST_INVALID", "monolithic POST digest=" + d);
            assert4xx(server.get("/v2/bad/digest/referrers/" + d), 400, "DIGEST_INVALID", "referrers " + d);
        }
        assertNothingStored("bad/digest");
    }

    @Test
    void badNames() throws Exception {
        Digest d = Digest.sha256Of(new byte[] {1});
        for (String name : new String[] {"Upper/Case", "a/../b", "a//b", "-lead", "x".repeat(257)}) {
            HttpResponse<byte[]> r = server.send("POST", "/v2/" + name + "/blobs/uploads/?digest=" + d,
                    new byte[] {1});
            assertThat(r.statusCode()).as("push to name %s: %s", name.length() > 40 ? "(257 chars)" : name,
                    describe(r)).isBetween(400, 404);
        }
        assert4xx(server.putManifest("Upper/Case", "v1", MediaTypes.OCI_MANIFEST, "{}"), 400, "NAME_INVALID",
                "manifest to uppercase name");
        HttpResponse<byte[]> cat = server.get("/v2/_catalog");
        assertThat(text(cat)).as("catalog after bad names").doesNotContain("Upper").doesNotContain("..");
    }

    @Test
    void badTag() throws Exception {
        assert4xx(server.putManifest("bad/tag", "-dash", MediaTypes.OCI_MANIFEST, "{}"), 400, "TAG_INVALID",
                "tag starting with -");
        assert4xx(server.putManifest("bad/tag", "x".repeat(129), MediaTypes.OCI_MANIFEST, "{}"), 400,
                "TAG_INVALID", "129-char tag");
        assertNothingStored("bad/tag");
    }

    /** No manifest can have an invalid tag: reads say MANIFEST_UNKNOWN (as the OCI conformance tests expect). */
    @Test
    void badTagOnRead_isManifestUnknown() throws Exception {
        server.pushBlob("bad/readtag", new byte[] {7});
        for (String tag : new String[] {".INVALID_MANIFEST_NAME", "-dash", "x".repeat(129)}) {
            assert4xx(server.get("/v2/bad/readtag/manifests/" + tag), 404, "MANIFEST_UNKNOWN", "GET tag " + tag);
            assert4xx(server.head("/v2/bad/readtag/manifests/" + tag), 404, "MANIFEST_UNKNOWN", "HEAD tag " + tag);
            assert4xx(server.putManifest("bad/readtag", tag, MediaTypes.OCI_MANIFEST, "{}"), 400, "TAG_INVALID",
                    "PUT tag " + tag);
        }
        assert4xx(server.get("/v2/bad/no-such-repo/manifests/.INVALID_MANIFEST_NAME"), 404, "NAME_UNKNOWN",
                "invalid tag in a missing repository");
        assert4xx(server.get("/v2/bad/readtag/manifests/sha256:abc"), 400, "DIGEST_INVALID", "malformed digest");
    }

    @Test
    void oversizedManifestIs413() throws Exception {
        byte[] big = new byte[4 * 1024 * 1024 + 1];
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        HttpResponse<byte[]> r = server.send("PUT", "/v2/bad/size/manifests/v1", big, "Content-Type",
                MediaTypes.OCI_MANIFEST);
        assert4xx(r, 413, "SIZE_INVALID", "4 MiB + 1 manifest");
        assertNothingStored("bad/size");
    }

    @Test
    void badRangesAndContentRanges() throws Exception {
        byte[] content = "0123456789".getBytes(StandardCharsets.US_ASCII);
        Digest d = server.pushBlob("bad/range", content);
        assert4xx(server.get("/v2/bad/range/blobs/" + d, "Range", "bytes=20-30"), 416, "RANGE_INVALID",
                "range past the end");
        HttpResponse<byte[]> start = server.send("POST", "/v2/bad/range/blobs/uploads/", null);
        String loc = start.headers().firstValue("Location").orElseThrow();
        for (String cr : new String[] {"abc", "5-1", "-", "10-19"}) {
            HttpResponse<byte[]> r = server.send("PATCH", loc, new byte[10], "Content-Range", cr);
            assertThat(r.statusCode()).as("PATCH Content-Range %s: %s", cr, describe(r)).isEqualTo(416);
        }
        HttpResponse<byte[]> status = server.get(loc);
        assertThat(status.headers().firstValue("Range")).as("nothing appended: %s", describe(status))
                .contains("0-0");
    }

    @Test
    void unknownPathsAndMethods() throws Exception {
        assert4xx(server.get("/v2/some/repo/nonsense/x"), 404, "NAME_UNKNOWN", "unknown /v2 path");
        assert4xx(server.send("POST", "/v2/some/repo/manifests/v1", new byte[0]), 405, "UNSUPPORTED",
                "POST on a manifest");
        assert4xx(server.send("PATCH", "/v2/_catalog", new byte[0]), 405, "UNSUPPORTED", "PATCH catalog");
        assert4xx(server.get("/v2/some/repo/blobs/uploads/not!an!id"), 404, "BLOB_UPLOAD_UNKNOWN", "bad upload id");
        assert4xx(server.get("/v2/some/repo/blobs/uploads/AAAAAAAAAAAAAAAAAAAAAAAAAAA"), 404,
                "BLOB_UPLOAD_UNKNOWN", "unknown upload id");
    }
}
