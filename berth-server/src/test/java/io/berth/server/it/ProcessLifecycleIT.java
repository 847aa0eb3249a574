package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.spi.meta.EventStore;
import io.berth.core.spi.meta.RegistryEvent;
import io.berth.server.boot.BerthApp;
import io.berth.server.boot.Stores;
import io.berth.server.config.AuthConfig;
import io.berth.server.config.BerthConfig;
import io.berth.server.config.ConfigLoader;
import io.berth.server.config.StorageConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability and shutdown of the server as a real process ({@code java -jar target/berth.jar}). Clients push while
 * it is killed with SIGKILL; after a restart on the same data directory every acknowledged push pulls back
 * byte-identical, and an upload the kill cut off is not visible as a blob. SIGTERM lets an upload in flight finish
 * before the process exits.
 */
class ProcessLifecycleIT {
    @TempDir
    Path data;

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void kill9DuringPushes_everyAcknowledgedPushSurvives() throws Exception {
        PackagedServer first = PackagedServer.start(data);
        Map<String, byte[][]> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> pushers = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            int id = p;
            pushers.add(new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    try {
                        byte[] config = random(64);
                        byte[] layer = random(32 * 1024 + i);
                        String tag = "p" + id + "-" + i;
                        byte[] manifest = pushImage(first.base(), tag, config, layer);
                        acknowledged.put(tag, new byte[][] {manifest, config, layer});
                    } catch (IOException | InterruptedException | IllegalStateException e) {
                        return; // the kill: whatever was not acknowledged may be lost
                    }
                }
            }));
        }
        pushers.forEach(Thread::start);
        String halfUploaded = startCutOffUpload(first.base());
        Thread.sleep(1500);
        first.process().destroyForcibly(); // SIGKILL: no shutdown hook, no flush
        first.process().waitFor(10, TimeUnit.SECONDS);
        stop.set(true);
        for (Thread t : pushers) {
            t.join(10_000);
        }
        assertThat(acknowledged).as("pushes acknowledged before the kill").isNotEmpty();

        PackagedServer second = PackagedServer.start(data);
        try {
            for (var e : acknowledged.entrySet()) {
                byte[][] v = e.getValue();
                assertThat(get(second.base(), "/v2/crash/app/manifests/" + e.getKey()))
                        .as("manifest %s after kill -9 and restart", e.getKey()).isEqualTo(v[0]);
                assertThat(get(second.base(), "/v2/crash/app/blobs/" + Digest.sha256Of(v[1])))
                        .as("config of %s", e.getKey()).isEqualTo(v[1]);
                assertThat(get(second.base(), "/v2/crash/app/blobs/" + Digest.sha256Of(v[2])))
                        .as("layer of %s", e.getKey()).isEqualTo(v[2]);
            }
            HttpResponse<byte[]> cut = client.send(HttpRequest.newBuilder(URI.create(second.base()
                    + "/v2/crash/app/blobs/" + halfUploaded)).method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(cut.statusCode()).as("HEAD of the blob whose upload the kill cut off").isEqualTo(404);
            assertEachPushIsOneEvent(second.base(), acknowledged.keySet());
        } finally {
            second.process().destroy();
            second.process().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void sigterm_finishesInFlightUploadThenExits() throws Exception {
        PackagedServer server = PackagedServer.start(data);
        byte[] content = random(1 << 20);
        String digest = Digest.sha256Of(content).toString();
        URI uri = URI.create(server.base());
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v2/crash/app/blobs/uploads/?digest=" + digest + " HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: " + content.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(content, 0, content.length / 2);
            out.flush();
            Thread.sleep(300);
            server.process().destroy(); // SIGTERM while the upload is in flight
            Thread.sleep(300);
            out.write(content, content.length / 2, content.length - content.length / 2);
            out.flush();
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertThat(status).as("answer to the upload that was in flight at SIGTERM").isEqualTo("HTTP/1.1 201 Created");
        }
        assertThat(server.process().waitFor(30, TimeUnit.SECONDS)).as("process exits after SIGTERM").isTrue();
        assertThat(server.process().exitValue()).as("exit status after a clean shutdown").isIn(0, 143);

        PackagedServer second = PackagedServer.start(data);
        try {
            assertThat(get(second.base(), "/v2/crash/app/blobs/" + digest)).as("the blob finished during shutdown")
                    .isEqualTo(content);
        } finally {
            second.process().destroy();
            second.process().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * The outbox across kill -9: every acknowledged push has exactly one IMAGE_PUSHED event, and every such event
     * names a push that did happen (its manifest pulls); the repository was created once. Read beside the running
     * server, as {@code berth admin events} does.
     */
    private void assertEachPushIsOneEvent(String base, Set<String> acknowledged) throws Exception {
        BerthConfig config = ConfigLoader.load(Optional.empty(), Map.of(), Map.of(StorageConfig.DATA.name(),
                data.toString(), AuthConfig.INSECURE_NO_AUTH.name(), "true"));
        List<RegistryEvent> events;
        try (Stores stores = BerthApp.openStores(config)) {
            events = stores.metadata().read(tx -> tx.events().list(new EventStore.Filter("crash/app", null, 0,
                    EventStore.Filter.MAX_LIMIT)));
        }
        List<String> pushedTags = events.stream().filter(e -> e.type() == RegistryEvent.Type.IMAGE_PUSHED)
                .map(e -> e.tags().get(0)).toList();
        assertThat(pushedTags).as("IMAGE_PUSHED tags after kill -9: no duplicates").doesNotHaveDuplicates()
                .as("every acknowledged push has its event").containsAll(acknowledged);
        for (String tag : pushedTags) {
            get(base, "/v2/crash/app/manifests/" + tag); // asserts 200: the event's push committed
        }
        assertThat(events).filteredOn(e -> e.type() == RegistryEvent.Type.REPOSITORY_CREATED)
                .as("crash/app created once, by its first push").hasSize(1);
        assertThat(events).extracting(RegistryEvent::sequence).as("sequence of crash/app")
                .isEqualTo(LongStream.rangeClosed(1, events.size()).boxed().toList());
    }

    /** Sends half of a declared 1 MiB monolithic upload and leaves the connection open; returns its digest. */
    private static String startCutOffUpload(String base) throws IOException {
        byte[] content = random(1 << 20);
        String digest = Digest.sha256Of(content).toString();
        URI uri = URI.create(base);
        Socket socket = new Socket(uri.getHost(), uri.getPort());
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v2/crash/app/blobs/uploads/?digest=" + digest + " HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/octet-stream\r\nContent-Length: " + content.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(content, 0, content.length / 2);
        out.flush(); // the socket stays open until the server dies
        return digest;
    }

    private byte[] pushImage(String base, String tag, byte[] config, byte[] layer)
            throws IOException, InterruptedException {
        Digest c = pushBlob(base, config);
        Digest l = pushBlob(base, layer);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + c
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + l + "\",\"size\":" + layer.length
                + "}]}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(base + "/v2/crash/app/manifests/"
                + tag)).header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("manifest push answered " + r.statusCode());
        }
        return manifest;
    }

    private Digest pushBlob(String base, byte[] content) throws IOException, InterruptedException {
        Digest d = Digest.sha256Of(content);
        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(base + "/v2/crash/app/blobs/uploads/"
                + "?digest=" + d)).POST(HttpRequest.BodyPublishers.ofByteArray(content)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("blob push answered " + r.statusCode());
        }
        return d;
    }

    private byte[] get(String base, String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as("GET %s", path).isEqualTo(200);
        return r.body();
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }
}
