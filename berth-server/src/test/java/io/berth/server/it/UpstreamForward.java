package io.berth.server.it;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Test upstreams in front of a real registry: a body-less request (GET, HEAD) passed on with its Accept. */
final class UpstreamForward {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private UpstreamForward() {}

    /** What {@code 127.0.0.1:port} answers to the exchange's method, path and Accept header. */
    static HttpResponse<byte[]> forward(HttpExchange ex, int port) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + ex.getRequestURI()))
                .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
        String accept = ex.getRequestHeaders().getFirst("Accept");
        if (accept != null) {
            b.header("Accept", accept);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
