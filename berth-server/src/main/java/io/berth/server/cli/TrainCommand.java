package io.berth.server.cli;

import io.berth.server.boot.BerthApp;
import io.berth.server.config.BerthConfig;
import io.berth.server.config.AuthConfig;
import io.berth.server.config.GcConfig;
import io.berth.server.config.HttpConfig;
import io.berth.server.config.StorageConfig;
import io.berth.server.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * A short training run for the class-data-sharing archive the {@code berth} launcher builds next to the jar: it
 * starts a throw-away registry on a free loopback port, pushes and pulls one tiny image through it, and stops. Run
 * under {@code -XX:ArchiveClassesAtExit}, the JVM then records every class a real start and the hot paths load,
 * which roughly halves the time from process start to the first answered request.
 */
@Command(name = "train-cds", hidden = true, description = "Exercise start-up and the hot paths once (for CDS).")
public final class TrainCommand implements Callable<Integer> {
    private static final String TRAINING_KEY_ID = "AKIATRAINCDSTRAINCDS";
    private static final String TRAINING_SECRET = "trainingSecretTrainingSecretTrainingSecr";
    private static final String BASIC = "Basic " + java.util.Base64.getEncoder().encodeToString(
            (TRAINING_KEY_ID + ":" + TRAINING_SECRET).getBytes(StandardCharsets.UTF_8));

    @Override
    public Integer call() throws Exception {
        Path data = Files.createTempDirectory("berth-train");
        try {
            Map<String, String> cli = new LinkedHashMap<>();
            cli.put(HttpConfig.LISTEN.name(), "127.0.0.1:0");
            cli.put(StorageConfig.DATA.name(), data.toString());
            cli.put(GcConfig.INTERVAL.name(), "0");
            // A throw-away root key, so the training run also exercises authentication on the hot paths.
            cli.put(AuthConfig.ROOT_ACCESS_KEY_ID.name(), TRAINING_KEY_ID);
            cli.put(AuthConfig.ROOT_SECRET_ACCESS_KEY.name(), TRAINING_SECRET);
            BerthConfig config = ConfigLoader.load(Optional.empty(), Map.of(), cli);
            BerthApp app = BerthApp.start(config);
            try {
                exercise(app.server().uri());
            } finally {
                app.stop();
            }
            return 0;
        } finally {
            try (Stream<Path> paths = Files.walk(data)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void exercise(URI base) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String root = base.toString().replaceAll("/$", "");
        byte[] layer = "berth".getBytes(StandardCharsets.UTF_8);
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        String layerDigest = sha256(layer);
        String configDigest = sha256(config);
        send(client, HttpRequest.newBuilder(URI.create(root + "/v2/")).GET());
        for (var blob : Map.of(layerDigest, layer, configDigest, config).entrySet()) {
            send(client, HttpRequest.newBuilder(URI.create(root + "/v2/train/app/blobs/" + blob.getKey()))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()));
            HttpResponse<Void> started = send(client, HttpRequest.newBuilder(
                    URI.create(root + "/v2/train/app/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()));
            String location = started.headers().firstValue("Location").orElseThrow();
            send(client, HttpRequest.newBuilder(URI.create(root + location + "?digest=" + blob.getKey()))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(blob.getValue())));
        }
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + configDigest + "\",\"size\":2},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + layerDigest + "\",\"size\":5}]}";
        HttpResponse<Void> pushed = send(client, HttpRequest.newBuilder(
                URI.create(root + "/v2/train/app/manifests/latest"))
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString(manifest)));
        if (pushed.statusCode() != 201) { // the archive would then miss the paths that matter
            throw new IllegalStateException("training push answered " + pushed.statusCode());
        }
        for (int i = 0; i < 50; i++) {
            send(client, HttpRequest.newBuilder(URI.create(root + "/v2/train/app/manifests/latest")).GET());
        }
        send(client, HttpRequest.newBuilder(URI.create(root + "/v2/train/app/blobs/" + layerDigest)).GET());
        send(client, HttpRequest.newBuilder(URI.create(root + "/v2/train/app/tags/list")).GET());
        send(client, HttpRequest.newBuilder(URI.create(root + "/v2/_catalog")).GET());
        send(client, HttpRequest.newBuilder(URI.create(root + "/v2/train/app/manifests/missing")).GET());
    }

    private static HttpResponse<Void> send(HttpClient client, HttpRequest.Builder request) throws Exception {
        return client.send(request.header("Authorization", BASIC).build(), HttpResponse.BodyHandlers.discarding());
    }

    private static String sha256(byte[] content) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
