package io.berth.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Signer's REST-JSON API as the CLI calls it: each request signed with SigV4 for service {@code signer} by the AWS
 * SDK's signer (the SDK has no Signer client on this classpath), sent with the JDK's HTTP client.
 */
final class SignerCalls {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    record Answer(int status, String errorType, JsonNode body) {}

    private final int port;
    private final String key;
    private final String secret;
    private final String region;

    SignerCalls(int port, String key, String secret) {
        this(port, key, secret, "us-east-1");
    }

    /** Calls signed for {@code region}: Signer's resources are those of the account in that region. */
    SignerCalls(int port, String key, String secret, String region) {
        this.port = port;
        this.key = key;
        this.secret = secret;
        this.region = region;
    }

    Answer call(String method, String pathAndQuery, String body) throws Exception {
        String payload = body == null ? "" : body;
        URI uri = URI.create("http://127.0.0.1:" + port + pathAndQuery);
        SdkHttpRequest.Builder b = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        if (body != null) {
            b.putHeader("Content-Type", "application/json");
        }
        var signed = AwsV4HttpSigner.create().sign(r -> r.identity(AwsCredentialsIdentity.create(key, secret))
                .request(b.build()).payload(ContentStreamProvider.fromUtf8String(payload))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "signer")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpRequest.Builder out = HttpRequest.newBuilder(uri).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(payload));
        signed.request().headers().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("host") && !k.equalsIgnoreCase("content-length")) {
                v.forEach(value -> out.header(k, value));
            }
        });
        HttpResponse<byte[]> r = HTTP.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
        String text = new String(r.body(), StandardCharsets.UTF_8);
        return new Answer(r.statusCode(), r.headers().firstValue("X-Amzn-ErrorType").orElse(null),
                text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text));
    }
}
