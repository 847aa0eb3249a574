package io.berth.server.it;

import static io.berth.server.it.TestServer.describe;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BlobUploadIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String location(HttpResponse<byte[]> r) {
        return r.headers().firstValue("Location").orElseThrow(() -> new AssertionError("no Location: " + describe(r)));
    }

    @Test
    void monolithicPushThenPull() throws Exception {
        byte[] content = random(300_000, 1);
        Digest d = server.pushBlob("mono/app", content);
        HttpResponse<byte[]> get = server.get("/v2/mono/app/blobs/" + d);
        assertThat(get.statusCode()).as("GET pushed blob: %s", describe(get)).isEqualTo(200);
        assertThat(get.body()).as("bytes served back").isEqualTo(content);
        assertThat(get.headers().firstValue("Docker-Content-Digest")).contains(d.toString());
        assertThat(get.headers().firstValue("Content-Type")).contains("application/octet-stream");
        assertThat(get.headers().firstValue("Accept-Ranges")).contains("bytes");
        assertThat(get.headers().firstValue("ETag")).contains("\"" + d + "\"");
        assertThat(get.headers().firstValue("Docker-Distribution-API-Version")).contains("registry/2.0");

        HttpResponse<byte[]> head = server.head("/v2/mono/app/blobs/" + d);
        assertThat(head.statusCode()).as("HEAD: %s", describe(head)).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(content.length);
        assertThat(head.body()).as("HEAD has no body").isEmpty();
    }

    @Test
    void rangeRequests() throws Exception {
        byte[] content = random(1000, 2);
        Digest d = server.pushBlob("range/app", content);
        String path = "/v2/range/app/blobs/" + d;
        HttpResponse<byte[]> r = server.get(path, "Range", "bytes=10-19");
        assertThat(r.statusCode()).as("Range bytes=10-19: %s", describe(r)).isEqualTo(206);
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(content, 10, 20));
        assertThat(r.headers().firstValue("Content-Range")).contains("bytes 10-19/1000");
        r = server.get(path, "Range", "bytes=990-");
        assertThat(r.body()).as("open-ended range").isEqualTo(Arrays.copyOfRange(content, 990, 1000));
        r = server.get(path, "Range", "bytes=-5");
        assertThat(r.body()).as("suffix range").isEqualTo(Arrays.copyOfRange(content, 995, 1000));
        for (String bad : new String[] {"bytes=1000-", "bytes=5-1", "bytes=x-y", "bytes=0-1,3-4", "lines=1-2"}) {
            r = server.get(path, "Range", bad);
            assertThat(r.statusCode()).as("Range %s: %s", bad, describe(r)).isEqualTo(416);
            assertThat(r.headers().firstValue("Content-Range")).as("Range %s", bad).contains("bytes */1000");
            assertThat(TestServer.text(r)).contains("RANGE_INVALID");
        }
    }

    @Test
    void chunkedUploadWithOutOfOrderChunk() throws Exception {
        byte[] content = random(200_000, 3);
        HttpResponse<byte[]> start = server.send("POST", "/v2/chunked/app/blobs/uploads/", null);
        assertThat(start.statusCode()).as("start: %s", describe(start)).isEqualTo(202);
        assertThat(start.headers().firstValue("Range")).contains("0-0");
        assertThat(start.headers().firstValue("Docker-Upload-UUID")).isPresent();
        String loc = location(start);
        assertThat(loc).startsWith("/v2/chunked/app/blobs/uploads/");

        HttpResponse<byte[]> p1 = server.send("PATCH", loc, Arrays.copyOfRange(content, 0, 100_000),
                "Content-Range", "0-99999", "Content-Type", "application/octet-stream");
        assertThat(p1.statusCode()).as("chunk 1: %s", describe(p1)).isEqualTo(202);
        assertThat(p1.headers().firstValue("Range")).contains("0-99999");
        loc = location(p1);

        HttpResponse<byte[]> skip = server.send("PATCH", loc, Arrays.copyOfRange(content, 150_000, 200_000),
                "Content-Range", "150000-199999");
        assertThat(skip.statusCode()).as("out-of-order chunk: %s", describe(skip)).isEqualTo(416);

        HttpResponse<byte[]> status = server.get(loc);
        assertThat(status.statusCode()).as("status after 416: %s", describe(status)).isEqualTo(204);
        assertThat(status.headers().firstValue("Range")).as("416 chunk not stored").contains("0-99999");

        HttpResponse<byte[]> p2 = server.send("PATCH", loc, Arrays.copyOfRange(content, 100_000, 200_000),
                "Content-Range", "100000-199999");
        assertThat(p2.statusCode()).as("chunk 2: %s", describe(p2)).isEqualTo(202);
        Digest d = Digest.sha256Of(content);
        HttpResponse<byte[]> put = server.send("PUT", location(p2) + "?digest=" + d, null);
        assertThat(put.statusCode()).as("close: %s", describe(put)).isEqualTo(201);
        assertThat(location(put)).isEqualTo("/v2/chunked/app/blobs/" + d);
        assertThat(server.get("/v2/chunked/app/blobs/" + d).body()).isEqualTo(content);
    }

    @Test
    void streamedUploadAndFinalChunkInPut() throws Exception {
        byte[] content = random(70_000, 4);
        String loc = location(server.send("POST", "/v2/streamed/app/blobs/uploads/", null));
        HttpResponse<byte[]> p = server.send("PATCH", loc, Arrays.copyOfRange(content, 0, 50_000));
        assertThat(p.statusCode()).as("streamed PATCH: %s", describe(p)).isEqualTo(202);
        assertThat(p.headers().firstValue("Range")).contains("0-49999");
        Digest d = Digest.sha256Of(content);
        HttpResponse<byte[]> put = server.send("PUT", location(p) + "?digest=" + d,
                Arrays.copyOfRange(content, 50_000, 70_000));
        assertThat(put.statusCode()).as("PUT with last chunk: %s", describe(put)).isEqualTo(201);
        assertThat(put.headers().firstValue("Docker-Content-Digest")).contains(d.toString());
        assertThat(server.get("/v2/streamed/app/blobs/" + d).body()).isEqualTo(content);
    }

    @Test
    void wrongDigestOnCloseStoresNothing() throws Exception {
        byte[] content = random(1000, 5);
        Digest wrong = Digest.sha256Of("something else".getBytes(StandardCharsets.UTF_8));
        String loc = location(server.send("POST", "/v2/mismatch/app/blobs/uploads/", null));
        HttpResponse<byte[]> put = server.send("PUT", loc + "?digest=" + wrong, content);
        assertThat(put.statusCode()).as("PUT with wrong digest: %s", describe(put)).isEqualTo(400);
        assertThat(TestServer.text(put)).contains("DIGEST_INVALID");
        assertThat(server.head("/v2/mismatch/app/blobs/" + wrong).statusCode()).isEqualTo(404);
        assertThat(server.head("/v2/mismatch/app/blobs/" + Digest.sha256Of(content)).statusCode()).isEqualTo(404);
    }

    @Test
    void cancelUpload() throws Exception {
        String loc = location(server.send("POST", "/v2/cancel/app/blobs/uploads/", null));
        HttpResponse<byte[]> del = server.send("DELETE", loc, null);
        assertThat(del.statusCode()).as("cancel: %s", describe(del)).isEqualTo(204);
        HttpResponse<byte[]> status = server.get(loc);
        assertThat(status.statusCode()).as("status of cancelled upload: %s", describe(status)).isEqualTo(404);
        assertThat(TestServer.text(status)).contains("BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void mounts() throws Exception {
        byte[] content = random(5000, 6);
        Digest d = server.pushBlob("mount/source", content);
        HttpResponse<byte[]> from = server.send("POST",
                "/v2/mount/target/blobs/uploads/?mount=" + d + "&from=mount/source", null);
        assertThat(from.statusCode()).as("mount from source: %s", describe(from)).isEqualTo(201);
        assertThat(location(from)).isEqualTo("/v2/mount/target/blobs/" + d);
        assertThat(server.get("/v2/mount/target/blobs/" + d).body()).isEqualTo(content);

        HttpResponse<byte[]> auto = server.send("POST", "/v2/mount/auto/blobs/uploads/?mount=" + d, null);
        // without "from", any repository of the account the caller may pull from is a source (MountWithoutFromIT)
        assertThat(auto.statusCode()).as("automatic mount under authentication: %s", describe(auto)).isEqualTo(201);
        assertThat(location(auto)).isEqualTo("/v2/mount/auto/blobs/" + d);

        Digest absent = Digest.sha256Of("not pushed".getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> miss = server.send("POST",
                "/v2/mount/target/blobs/uploads/?mount=" + absent + "&from=mount/source", null);
        assertThat(miss.statusCode()).as("mount of absent blob falls back to a session: %s", describe(miss))
                .isEqualTo(202);
        assertThat(location(miss)).startsWith("/v2/mount/target/blobs/uploads/");
    }

    @Test
    void deleteBlob() throws Exception {
        Digest d = server.pushBlob("delete/app", random(100, 7));
        HttpResponse<byte[]> del = server.send("DELETE", "/v2/delete/app/blobs/" + d, null);
        assertThat(del.statusCode()).as("DELETE blob: %s", describe(del)).isEqualTo(202);
        assertThat(server.head("/v2/delete/app/blobs/" + d).statusCode()).isEqualTo(404);
    }

    @Test
    void uploadCutOffMidwayStoresNothingVisible() throws Exception {
        String loc = location(server.send("POST", "/v2/cutoff/app/blobs/uploads/", null));
        byte[] sent = random(10_000, 8);
        // a raw socket: announce 100,000 bytes, send 10,000, then close
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("PATCH " + loc + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: 100000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(sent);
            out.flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            in.readAllBytes(); // whatever the server answers, if anything
        }
        HttpResponse<byte[]> status = server.get(loc);
        assertThat(status.statusCode()).as("status after cut-off PATCH: %s", describe(status)).isIn(204, 404);
        if (status.statusCode() == 204) {
            long end = Long.parseLong(status.headers().firstValue("Range").orElseThrow().split("-")[1]);
            assertThat(end + 1).as("upload size holds at most what arrived").isLessThanOrEqualTo(sent.length);
        }
        // a monolithic POST cut off: the blob must not exist afterwards
        byte[] whole = random(50_000, 9);
        Digest d = Digest.sha256Of(whole);
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /v2/cutoff/app/blobs/uploads/?digest=" + d + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Length: 50000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(whole, 0, 20_000);
            out.flush();
            s.shutdownOutput();
            s.getInputStream().readAllBytes();
        }
        HttpResponse<byte[]> head = server.head("/v2/cutoff/app/blobs/" + d);
        assertThat(head.statusCode()).as("blob of cut-off monolithic upload: %s", describe(head)).isEqualTo(404);
    }
}
