package io.berth.core.replication;

import io.berth.core.model.Digest;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.BlobContent;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * A repository of a peer deployment, over its {@code /v2}: a blob is uploaded only when a HEAD says the peer lacks
 * it (monolithic, streamed from the source), manifests are PUT children first. The repository is created first
 * over the peer's ECR API ({@link PeerRepositories}). Any answer but the expected one fails the attempt with the
 * peer's status, so the job retries with backoff while the peer is down.
 */
final class PeerSink implements ReplicaSink {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final HttpClient http;
    private final Peer peer;
    private final RepositoryName repository;
    private final String authorization;

    PeerSink(HttpClient http, Peer peer, RepositoryName repository) {
        this.http = http;
        this.peer = peer;
        this.repository = repository;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((peer.accessKeyId() + ":"
                + peer.secretAccessKey()).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void blob(Digest digest, BlobSource source) throws IOException {
        HttpResponse<Void> head = send(request("/v2/" + repository + "/blobs/" + digest)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding());
        if (head.statusCode() == 200) {
            return;
        }
        if (head.statusCode() != 404) {
            throw failed("HEAD blob " + digest, head.statusCode(), "");
        }
        try (BlobContent content = source.open(); InputStream in = content.stream()) {
            HttpResponse<String> r = send(request("/v2/" + repository + "/blobs/uploads/?digest=" + digest)
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> in),
                            content.length())), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                throw failed("upload of blob " + digest, r.statusCode(), r.body());
            }
        }
    }

    @Override
    public void manifest(Digest digest, String tag, String mediaType, byte[] content) throws IOException {
        HttpResponse<String> r = send(request("/v2/" + repository + "/manifests/" + (tag == null ? digest : tag))
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(content)),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw failed("PUT manifest " + (tag == null ? digest : tag), r.statusCode(), r.body());
        }
    }

    @Override
    public void delete(Digest digest) throws IOException {
        HttpResponse<String> r = send(request("/v2/" + repository + "/manifests/" + digest).DELETE(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202 && r.statusCode() != 404) {
            throw failed("DELETE manifest " + digest, r.statusCode(), r.body());
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(peer.endpoint().toString().replaceAll("/+$", "") + path))
                .timeout(TIMEOUT).header("Authorization", authorization);
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder b, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return http.send(b.build(), handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (IOException e) {
            throw new IOException("peer " + peer.region() + " at " + peer.endpoint() + " unreachable: " + e, e);
        }
    }

    private IOException failed(String what, int status, String body) {
        String detail = body == null ? "" : body.length() > 200 ? body.substring(0, 200) : body;
        return new IOException("peer " + peer.region() + ": " + what + " answered " + status + " " + detail.trim());
    }
}
