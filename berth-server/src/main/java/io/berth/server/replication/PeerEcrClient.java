package io.berth.server.replication;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.model.RepositoryName;
import io.berth.core.replication.Peer;
import io.berth.core.replication.PeerRepositories;
import io.berth.core.spi.meta.RepositorySettings;
import io.berth.server.auth.SigV4Signer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * A replication peer's ECR API: CreateRepository with the source repository's tag mutability, scan-on-push and
 * encryption, signed with the peer key for the peer's region. RepositoryAlreadyExistsException means done.
 */
public final class PeerEcrClient implements PeerRepositories {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CREATE = "AmazonEC2ContainerRegistry_V20150921.CreateRepository";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Clock clock;

    public PeerEcrClient(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void ensure(Peer peer, RepositoryName repository, RepositorySettings settings) throws IOException {
        ObjectNode q = JSON.createObjectNode().put("repositoryName", repository.value());
        if (settings != null) {
            q.put("imageTagMutability", settings.tagMutability().name());
            q.putObject("imageScanningConfiguration").put("scanOnPush", settings.scanOnPush());
            ObjectNode enc = q.putObject("encryptionConfiguration").put("encryptionType", settings.encryptionType());
            if (settings.kmsKey() != null) {
                enc.put("kmsKey", settings.kmsKey());
            }
        }
        byte[] body = JSON.writeValueAsBytes(q);
        URI endpoint = URI.create(peer.endpoint().toString().replaceAll("/+$", "") + "/");
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        SigV4Signer.jsonPost(endpoint, CREATE, body, peer.region(), "ecr", peer.accessKeyId(),
                peer.secretAccessKey(), clock.instant()).forEach(b::header);
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (IOException e) {
            throw new IOException("peer " + peer.region() + " at " + peer.endpoint() + " unreachable: " + e, e);
        }
        if (r.statusCode() != 200 && !r.body().contains("RepositoryAlreadyExistsException")) {
            throw new IOException("peer " + peer.region() + ": CreateRepository " + repository + " answered "
                    + r.statusCode() + " " + (r.body().length() > 200 ? r.body().substring(0, 200) : r.body()));
        }
    }
}
