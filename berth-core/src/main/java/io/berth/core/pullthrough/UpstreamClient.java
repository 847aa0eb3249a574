package io.berth.core.pullthrough;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.manifest.ManifestParser;
import io.berth.core.model.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OCI Distribution client a pull-through cache fetches with (java.net.http, no dependency): manifests and blobs
 * of an upstream registry, anonymously, with Basic credentials, or through the Bearer token flow that Docker Hub,
 * GHCR and Quay use (a {@code WWW-Authenticate: Bearer realm=…,service=…,scope=…} challenge, then a token request for
 * the repository's pull scope). Tokens are kept per upstream and scope until they expire.
 *
 * <p>Redirects are followed by hand and without the Authorization header: blob downloads redirect to object stores
 * that refuse a second credential.
 */
public final class UpstreamClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    static final String MANIFEST_ACCEPT = String.join(", ", "application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json");
    private static final String INDEX = "application/vnd.oci.image.index.v1+json";
    private static final int MAX_REDIRECTS = 5;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** Basic credentials for an upstream (the user name and password or access token). */
    public record Credentials(String username, String password) {
        @Override public String toString() { return "Credentials[" + username + ", ***]"; }

        String basic() {
            return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * One upstream registry.
     * @param base        {@code scheme://host[:port]}
     * @param credentials null for anonymous pulls
     */
    public record Upstream(URI base, Credentials credentials) {
        /** {@code url} as a rule holds it: a host (https assumed, as ECR's URLs are hosts) or a full URL. */
        public static Upstream of(String url, Credentials credentials) {
            String u = url.contains("://") ? url : "https://" + url;
            return new Upstream(URI.create(u.endsWith("/") ? u.substring(0, u.length() - 1) : u), credentials);
        }
    }

    public record Manifest(byte[] body, String mediaType, Digest digest) {}

    /** An open blob body; {@code length} -1 when the upstream sent none. */
    public record Blob(InputStream body, long length) implements AutoCloseable {
        @Override public void close() throws IOException { body.close(); }
    }

    /** The upstream could not be reached, refused us, or answered with an error status. */
    public static final class UpstreamException extends IOException {
        private final int status;

        public UpstreamException(String message, int status) {
            super(message);
            this.status = status;
        }

        /** The HTTP status, or 0 when there was no answer. */
        public int status() { return status; }
    }

    private record Token(String header, Instant expires) {}

    private final HttpClient http;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    public UpstreamClient() {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build());
    }

    UpstreamClient(HttpClient http) {
        this.http = http;
    }

    /** The manifest, or empty when the upstream answers 404 (no such tag, digest or repository). */
    public Optional<Manifest> manifest(Upstream u, String repository, String reference) throws IOException {
        HttpResponse<InputStream> r = send(u, "GET", "/v2/" + repository + "/manifests/" + reference, repository,
                MANIFEST_ACCEPT);
        try (InputStream in = r.body()) {
            if (r.statusCode() == 404) {
                return Optional.empty();
            }
            requireOk(r, "manifest " + repository + ":" + reference);
            byte[] body = in.readNBytes(ManifestParser.MAX_MANIFEST_BYTES + 1);
            if (body.length > ManifestParser.MAX_MANIFEST_BYTES) {
                throw new UpstreamException("the upstream manifest " + repository + ":" + reference + " is larger "
                        + "than " + ManifestParser.MAX_MANIFEST_BYTES + " bytes", r.statusCode());
            }
            return Optional.of(new Manifest(body, r.headers().firstValue("Content-Type").orElse(null),
                    digestHeader(r)));
        }
    }

    /** The digest a tag points at upstream (HEAD), or empty when absent; null digest when the upstream sent none. */
    public Optional<Optional<Digest>> headManifest(Upstream u, String repository, String reference)
            throws IOException {
        HttpResponse<InputStream> r = send(u, "HEAD", "/v2/" + repository + "/manifests/" + reference, repository,
                MANIFEST_ACCEPT);
        r.body().close();
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        requireOk(r, "manifest " + repository + ":" + reference);
        return Optional.of(Optional.ofNullable(digestHeader(r)));
    }

    /** The blob, or empty on 404. The caller closes it. */
    public Optional<Blob> blob(Upstream u, String repository, Digest digest) throws IOException {
        HttpResponse<InputStream> r = send(u, "GET", "/v2/" + repository + "/blobs/" + digest, repository, null);
        if (r.statusCode() == 404) {
            r.body().close();
            return Optional.empty();
        }
        if (r.statusCode() != 200) {
            r.body().close();
            requireOk(r, "blob " + digest + " of " + repository);
        }
        return Optional.of(new Blob(r.body(), r.headers().firstValueAsLong("Content-Length").orElse(-1)));
    }

    /**
     * The digests of {@code subject}'s referrers upstream: from the OCI referrers API when the upstream has one (an
     * image index answered), else from the referrers tag schema's {@code <alg>-<hex>} tag (distribution 2.8 has no
     * referrers API and answers 404 for it). Empty when neither knows any.
     */
    public java.util.List<Digest> referrers(Upstream u, String repository, Digest subject) throws IOException {
        HttpResponse<InputStream> r = send(u, "GET", "/v2/" + repository + "/referrers/" + subject, repository,
                INDEX);
        try (InputStream in = r.body()) {
            boolean index = r.headers().firstValue("Content-Type").filter(t -> t.startsWith(INDEX)).isPresent();
            if (r.statusCode() == 200 && index) {
                return listed(in.readNBytes(ManifestParser.MAX_MANIFEST_BYTES));
            }
            if (r.statusCode() == 401 || r.statusCode() == 403 || r.statusCode() == 429 || r.statusCode() >= 500) {
                requireOk(r, "referrers of " + repository + "@" + subject);
            }
        }
        String schemaTag = subject.toString().replace(':', '-');
        Optional<Manifest> tagged = manifest(u, repository, schemaTag);
        return tagged.isEmpty() ? java.util.List.of() : listed(tagged.get().body());
    }

    /** The digests an image index lists in {@code manifests}. */
    private static java.util.List<Digest> listed(byte[] index) throws IOException {
        java.util.List<Digest> out = new java.util.ArrayList<>();
        for (JsonNode d : JSON.readTree(index).path("manifests")) {
            if (Digest.looksLikeDigest(d.path("digest").asText(""))) {
                out.add(Digest.parse(d.path("digest").asText()));
            }
        }
        return out;
    }

    /** Logs in to the upstream for {@code repository}'s pull scope ({@code GET /v2/}); throws when that fails. */
    public void check(Upstream u, String repository) throws IOException {
        HttpResponse<InputStream> r = send(u, "GET", "/v2/", repository, null);
        r.body().close();
        requireOk(r, "/v2/");
    }

    private static void requireOk(HttpResponse<?> r, String what) throws UpstreamException {
        int s = r.statusCode();
        if (s == 200) {
            return;
        }
        String why = s == 401 || s == 403 ? "refused our credentials" : s == 429 ? "is rate-limiting us"
                : "answered HTTP " + s;
        throw new UpstreamException("the upstream registry " + why + " for " + what, s);
    }

    private static Digest digestHeader(HttpResponse<?> r) {
        return r.headers().firstValue("Docker-Content-Digest").filter(Digest::looksLikeDigest).map(Digest::parse)
                .orElse(null);
    }

    /** One request with the auth flow: the kept token first, else anonymous, then whatever a 401 asks for. */
    private HttpResponse<InputStream> send(Upstream u, String method, String path, String repository, String accept)
            throws IOException {
        String scope = "repository:" + repository + ":pull";
        // a token is the login's: two rules with other credentials for one upstream never share one
        String key = u.base() + " " + scope + (u.credentials() == null ? "" : " " + u.credentials().hashCode());
        Token kept = tokens.get(key);
        String auth = kept != null && kept.expires().isAfter(Instant.now()) ? kept.header()
                : u.credentials() != null ? u.credentials().basic() : null;
        HttpResponse<InputStream> r = exchange(URI.create(u.base() + path), method, auth, accept);
        if (r.statusCode() != 401) {
            return r;
        }
        String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
        r.body().close();
        if (challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
            Token t = token(u, challenge, scope);
            tokens.put(key, t);
            return exchange(URI.create(u.base() + path), method, t.header(), accept);
        }
        if (challenge.regionMatches(true, 0, "Basic", 0, 5) && u.credentials() != null && auth == null) {
            return exchange(URI.create(u.base() + path), method, u.credentials().basic(), accept);
        }
        throw new UpstreamException("the upstream registry requires credentials"
                + (u.credentials() == null ? ", and the rule has none" : " and refused ours") + " (HTTP 401)", 401);
    }

    /** The Bearer token flow: {@code realm?service=…&scope=…}, with the Basic credentials when we have them. */
    private Token token(Upstream u, String challenge, String scope) throws IOException {
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) {
            params.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
        }
        String realm = params.get("realm");
        if (realm == null || realm.isEmpty()) {
            throw new UpstreamException("the upstream's Bearer challenge names no realm", 401);
        }
        StringBuilder q = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?');
        if (params.containsKey("service")) {
            q.append("service=").append(URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8)).append('&');
        }
        q.append("scope=").append(URLEncoder.encode(params.getOrDefault("scope", scope), StandardCharsets.UTF_8));
        HttpResponse<InputStream> r = exchange(URI.create(q.toString()), "GET",
                u.credentials() == null ? null : u.credentials().basic(), "application/json");
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                throw new UpstreamException("the upstream's token service answered HTTP " + r.statusCode(),
                        r.statusCode());
            }
            JsonNode body = JSON.readTree(in.readNBytes(1 << 20));
            String token = body.path("token").asText(body.path("access_token").asText(""));
            if (token.isEmpty()) {
                throw new UpstreamException("the upstream's token service sent no token", r.statusCode());
            }
            // the spec's default lifetime is 60 s; renew a little early
            long seconds = Math.max(10, body.path("expires_in").asLong(60) - 5);
            return new Token("Bearer " + token, Instant.now().plusSeconds(seconds));
        }
    }

    private HttpResponse<InputStream> exchange(URI uri, String method, String auth, String accept)
            throws IOException {
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                    .method(method, HttpRequest.BodyPublishers.noBody());
            if (auth != null) {
                b.header("Authorization", auth);
            }
            if (accept != null) {
                b.header("Accept", accept);
            }
            HttpResponse<InputStream> r;
            try {
                r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UpstreamException("interrupted while fetching from the upstream registry", 0);
            } catch (IOException e) {
                throw new UpstreamException("the upstream registry " + uri.getHost() + " is unreachable: " + e, 0);
            }
            int s = r.statusCode();
            if (s < 300 || s >= 400 || s == 304) {
                return r;
            }
            r.body().close();
            String location = r.headers().firstValue("Location").orElse(null);
            if (location == null || hop >= MAX_REDIRECTS) {
                throw new UpstreamException("the upstream registry redirected without a usable Location", s);
            }
            uri = uri.resolve(location);
            auth = null; // never hand the registry's credential to the redirect's host
        }
    }
}
