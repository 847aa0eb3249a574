package io.berth.server.it;

import static io.berth.server.it.TestServer.describe;
import static io.berth.server.it.TestServer.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ListingIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    @BeforeAll
    static void pushTags() throws Exception {
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = "l".getBytes(StandardCharsets.UTF_8);
        for (String repo : new String[] {"list/a", "list/b", "list/c"}) {
            Digest c = server.pushBlob(repo, config);
            Digest l = server.pushBlob(repo, layer);
            String json = Fixtures.ociManifest(c, config.length, l, layer.length);
            for (String tag : new String[] {"t1", "t2", "t3", "t4", "t5"}) {
                HttpResponse<byte[]> r = server.putManifest(repo, tag, MediaTypes.OCI_MANIFEST, json);
                assertThat(r.statusCode()).as("setup: %s", describe(r)).isEqualTo(201);
            }
        }
    }

    @Test
    void tagPagination() throws Exception {
        HttpResponse<byte[]> p1 = server.get("/v2/list/a/tags/list?n=2");
        assertThat(p1.statusCode()).as("page 1: %s", describe(p1)).isEqualTo(200);
        assertThat(text(p1)).isEqualTo("{\"name\":\"list/a\",\"tags\":[\"t1\",\"t2\"]}");
        assertThat(p1.headers().firstValue("Link")).contains("</v2/list/a/tags/list?last=t2&n=2>; rel=\"next\"");
        HttpResponse<byte[]> p3 = server.get("/v2/list/a/tags/list?n=2&last=t4");
        assertThat(text(p3)).as("last page: %s", describe(p3)).isEqualTo("{\"name\":\"list/a\",\"tags\":[\"t5\"]}");
        assertThat(p3.headers().firstValue("Link")).as("no Link on the last page").isEmpty();
        HttpResponse<byte[]> all = server.get("/v2/list/a/tags/list");
        assertThat(text(all)).contains("\"t1\",\"t2\",\"t3\",\"t4\",\"t5\"");
        HttpResponse<byte[]> zero = server.get("/v2/list/a/tags/list?n=0");
        assertThat(zero.statusCode()).as("n=0: %s", describe(zero)).isEqualTo(200);
        assertThat(text(zero)).isEqualTo("{\"name\":\"list/a\",\"tags\":[]}");
    }

    @Test
    void catalogPagination() throws Exception {
        HttpResponse<byte[]> p1 = server.get("/v2/_catalog?n=2");
        assertThat(p1.statusCode()).as("catalog: %s", describe(p1)).isEqualTo(200);
        assertThat(text(p1)).isEqualTo("{\"repositories\":[\"list/a\",\"list/b\"]}");
        assertThat(p1.headers().firstValue("Link")).contains("</v2/_catalog?last=list%2Fb&n=2>; rel=\"next\"");
        HttpResponse<byte[]> p2 = server.get("/v2/_catalog?n=2&last=list%2Fb");
        assertThat(text(p2)).as("catalog page 2: %s", describe(p2)).isEqualTo("{\"repositories\":[\"list/c\"]}");
        assertThat(p2.headers().firstValue("Link")).isEmpty();
    }

    @Test
    void badNIs400() throws Exception {
        for (String n : new String[] {"-1", "abc", "1.5"}) {
            HttpResponse<byte[]> r = server.get("/v2/list/a/tags/list?n=" + n);
            assertThat(r.statusCode()).as("n=%s: %s", n, describe(r)).isEqualTo(400);
            assertThat(text(r)).contains("\"errors\"");
            r = server.get("/v2/_catalog?n=" + n);
            assertThat(r.statusCode()).as("catalog n=%s: %s", n, describe(r)).isEqualTo(400);
        }
    }

    @Test
    void unknownRepositoryTags() throws Exception {
        HttpResponse<byte[]> r = server.get("/v2/no/such/tags/list");
        assertThat(r.statusCode()).as("tags of unknown repo: %s", describe(r)).isEqualTo(404);
        assertThat(text(r)).contains("NAME_UNKNOWN");
    }
}
