package io.berth.server.http.ecr;

import io.berth.core.error.RegistryException;
import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.BlobContent;
import io.berth.server.metrics.RequestLabels;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the URLs GetDownloadUrlForLayer hands out: {@code GET /layers/<registry>/<repo>/<digest>?expires=&sig=}.
 * The signature is the only credential (like a pre-signed S3 URL), so the path carries everything that scopes it.
 * Failures are plain-text 403/404, as object stores answer, not ECR JSON.
 */
public final class LayerDownloadHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(LayerDownloadHandler.class);
    static final String PREFIX = "/layers/";

    private final EcrContext context;

    public LayerDownloadHandler(EcrContext context) {
        this.context = context;
    }

    static String path(RegistryId registry, RepositoryName repo, Digest digest) {
        return PREFIX + registry.key() + "/" + repo + "/" + digest;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        // the downloads GetDownloadUrlForLayer hands out: ECR's bytes, under the ECR plane's label
        RequestLabels.api(request, "ecr");
        RequestLabels.operation(request, "LayerDownload");
        String path = request.getHttpURI().getPath();
        try {
            Fields query;
            try {
                query = io.berth.server.http.QueryParameters.parse(request);
            } catch (RegistryException e) {
                LOG.debug("layer download {}: {}", path, e.getMessage());
                return plain(response, callback, 400, e.getMessage());
            }
            long expires;
            try {
                expires = Long.parseLong(query.getValue("expires"));
            } catch (NumberFormatException e) {
                return plain(response, callback, 403, "missing or malformed expires");
            }
            if (!context.signer().verify(path, expires, query.getValue("sig"))) {
                return plain(response, callback, 403, "signature does not match");
            }
            if (context.clock().instant().getEpochSecond() > expires) {
                return plain(response, callback, 403, "URL expired");
            }
            String rest = path.substring(PREFIX.length());
            int firstSlash = rest.indexOf('/');
            int lastSlash = rest.lastIndexOf('/');
            RegistryId registry = RegistryId.ofKey(rest.substring(0, firstSlash));
            RepositoryName repo = RepositoryName.of(rest.substring(firstSlash + 1, lastSlash));
            Digest digest = Digest.parse(rest.substring(lastSlash + 1));
            try (BlobContent reader = context.services().forRegistry(registry).openBlob(repo, digest, 0, -1);
                 InputStream in = reader.stream();
                 OutputStream out = Content.Sink.asOutputStream(response)) {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reader.length());
                in.transferTo(out);
            }
            callback.succeeded();
        } catch (RegistryException | IllegalArgumentException | StringIndexOutOfBoundsException e) {
            // signed paths are well-formed; this is a layer deleted since the URL was issued
            LOG.debug("layer download {}: {}", path, e.toString());
            if (!response.isCommitted()) {
                return plain(response, callback, 404, "no such layer");
            }
            callback.failed(e);
        } catch (Throwable t) {
            LOG.error("layer download {} failed", path, t);
            if (!response.isCommitted()) {
                return plain(response, callback, 500, "internal error");
            }
            callback.failed(t);
        }
        return true;
    }

    private static boolean plain(Response response, Callback callback, int status, String message) {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
