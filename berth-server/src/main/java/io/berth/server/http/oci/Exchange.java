package io.berth.server.http.oci;

import io.berth.server.http.QueryParameters;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.RegistryService;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/** One request as the endpoints see it: the parsed path plus small helpers to read input and finish the response. */
final class Exchange {
    final Request request;
    final Response response;
    final Callback callback;
    final OciPath path;
    /** The registry (account) this request addresses. */
    final io.berth.core.model.RegistryId registry;
    /** The data plane of the registry (account) this request addresses. */
    final RegistryService service;
    /** The caller's permissions, for endpoints that check more than their route's one action. */
    final Access access;
    private RepositoryName repo;
    private Fields query;

    /** Permission checks for the request's caller, on the addressed registry. */
    interface Access {
        Access ALL = new Access() {
            @Override public void require(String action, String repository) {}
            @Override public boolean may(String action, String repository) { return true; }
        };

        /** Throws DENIED (UNAUTHORIZED when anonymous) unless allowed. */
        void require(String action, String repository);

        boolean may(String action, String repository);
    }

    Exchange(Request request, Response response, Callback callback, OciPath path,
             io.berth.core.model.RegistryId registry, RegistryService service, Access access) {
        this.request = request;
        this.registry = registry;
        this.access = access;
        this.service = service;
        this.response = response;
        this.callback = callback;
        this.path = path;
    }

    /** The validated repository name (NAME_INVALID otherwise). */
    RepositoryName repo() {
        if (repo == null) {
            repo = RepositoryName.of(path.name());
        }
        return repo;
    }

    String arg() { return path.arg(); }

    boolean isHead() { return HttpMethod.HEAD.is(request.getMethod()); }

    /**
     * A query parameter; the query is parsed only by endpoints that ask, keeping the manifest GET lean. A query that
     * is not valid percent-encoded UTF-8 ({@code ?last=%FF}) is the client's mistake: INVALID_PARAMETER.
     */
    String query(String name) {
        if (query == null) {
            query = QueryParameters.parse(request);
        }
        return query.getValue(name);
    }

    String requestHeader(HttpHeader h) { return request.getHeaders().get(h); }

    /** {@code Content-Length}, or -1 when absent (chunked or HTTP/2 without it). Jetty rejects malformed values. */
    long contentLength() { return request.getLength(); }

    InputStream body() { return Content.Source.asInputStream(request); }

    Exchange header(HttpHeader h, String value) {
        response.getHeaders().put(h, value);
        return this;
    }

    Exchange header(String h, String value) {
        response.getHeaders().put(h, value);
        return this;
    }

    /** Ends with {@code status} and no body ({@code Content-Length: 0}). */
    void sendEmpty(int status) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
        response.write(true, BufferUtil.EMPTY_BUFFER, callback);
    }

    /** Ends with {@code status} and {@code body}; HEAD sends the headers only, with the body's length. */
    void send(int status, String contentType, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, isHead() ? BufferUtil.EMPTY_BUFFER : ByteBuffer.wrap(body), callback);
    }

    void sendJson(int status, String contentType, Object value) {
        send(status, contentType, Json.bytes(value));
    }

    static String location(String name, String kind, String arg) {
        return "/v2/" + name + "/" + kind + "/" + arg;
    }
}
