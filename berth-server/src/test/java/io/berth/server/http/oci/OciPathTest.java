package io.berth.server.http.oci;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.server.http.oci.OciPath.Kind;
import org.junit.jupiter.api.Test;

class OciPathTest {
    private static void route(String path, Kind kind, String name, String arg) {
        OciPath p = OciPath.parse(path);
        assertThat(p.kind()).as("kind of %s", path).isEqualTo(kind);
        assertThat(p.name()).as("name of %s", path).isEqualTo(name);
        assertThat(p.arg()).as("arg of %s", path).isEqualTo(arg);
    }

    @Test
    void baseAndCatalog() {
        route("/v2/", Kind.BASE, null, null);
        route("/v2", Kind.BASE, null, null);
        route("/v2/_catalog", Kind.CATALOG, null, null);
    }

    @Test
    void namesWithSlashes() {
        route("/v2/a/b/c/manifests/latest", Kind.MANIFEST, "a/b/c", "latest");
        route("/v2/library/ubuntu/blobs/sha256:abc", Kind.BLOB, "library/ubuntu", "sha256:abc");
        route("/v2/org/team/app/tags/list", Kind.TAGS, "org/team/app", null);
        route("/v2/x/y/referrers/sha256:abc", Kind.REFERRERS, "x/y", "sha256:abc");
    }

    @Test
    void theLastMarkerWins() {
        route("/v2/a/manifests/b/manifests/latest", Kind.MANIFEST, "a/manifests/b", "latest");
        route("/v2/blobs/uploads/blobs/sha256:1", Kind.BLOB, "blobs/uploads", "sha256:1");
        route("/v2/tags/list/tags/list", Kind.TAGS, "tags/list", null);
        route("/v2/a/blobs/b/manifests/sha256:1", Kind.MANIFEST, "a/blobs/b", "sha256:1");
    }

    @Test
    void uploads() {
        route("/v2/a/b/blobs/uploads/", Kind.UPLOAD_START, "a/b", null);
        route("/v2/a/b/blobs/uploads", Kind.UPLOAD_START, "a/b", null);
        route("/v2/a/b/blobs/uploads/Xy-9_z", Kind.UPLOAD, "a/b", "Xy-9_z");
    }

    @Test
    void unknownPaths() {
        for (String p : new String[] {"/v2/foo", "/v2/foo/bar", "/v2/manifests/latest", "/v2/foo/manifests/",
                "/v2/foo/tags/lists", "/v2/foo/blobs/", "/v2/uploads/x", "/v2/blobs/uploads/x", "/v3/",
                "/v2/foo/unknown/x"}) {
            assertThat(OciPath.parse(p).kind()).as("kind of %s", p).isEqualTo(Kind.UNKNOWN);
        }
    }
}
