package io.berth.server.http.oci;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.Reference;
import io.berth.core.service.RegistryService.PushedManifest;
import io.berth.core.service.RegistryService.StoredManifest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;

/** GET/HEAD/PUT/DELETE {@code /v2/<name>/manifests/<reference>}. */
final class ManifestEndpoints {
    /** The spec's recommended minimum a registry must accept; anything larger is a 413. */
    static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;



    private final io.berth.core.signing.PullGate pullGate;

    ManifestEndpoints(io.berth.core.signing.PullGate pullGate) {
        this.pullGate = pullGate;
    }

    /** The hot path: no query parsing, no JSON; the stored bytes go out as they are (no conversion on Accept). */
    void get(Exchange ex) {
        StoredManifest m = ex.service.getManifest(ex.repo(), readReference(ex));
        pullGate.check(ex.registry, ex.repo(), m);
        String digest = m.digest().toString();
        ex.header("Docker-Content-Digest", digest).header(HttpHeader.ETAG, '"' + digest + '"');
        ex.send(200, m.mediaType(), m.content());
    }

    void put(Exchange ex) {
        Reference ref = Reference.parse(ex.arg());
        long declared = ex.contentLength();
        if (declared > MAX_MANIFEST_BYTES) {
            throw tooLarge(declared);
        }
        byte[] body;
        try (InputStream in = ex.body()) {
            body = in.readNBytes(MAX_MANIFEST_BYTES + 1);
        } catch (IOException e) {
            // the client stopped sending: nothing is stored, and the answer (if it still listens) is a 400
            throw new RegistryException(ErrorCode.MANIFEST_INVALID, "manifest body incomplete: " + e.getMessage());
        }
        if (body.length > MAX_MANIFEST_BYTES) {
            throw tooLarge(body.length);
        }
        if (declared >= 0 && body.length != declared) {
            throw new RegistryException(ErrorCode.MANIFEST_INVALID,
                    "manifest body has " + body.length + " bytes, Content-Length said " + declared);
        }
        PushedManifest pushed = ex.service.putManifest(ex.repo(), ref, ex.requestHeader(HttpHeader.CONTENT_TYPE),
                body);
        String digest = pushed.digest().toString();
        ex.header(HttpHeader.LOCATION, Exchange.location(ex.path.name(), "manifests", digest))
                .header("Docker-Content-Digest", digest);
        if (pushed.subject() != null) {
            ex.header("OCI-Subject", pushed.subject().toString());
        }
        ex.sendEmpty(201);
    }

    void delete(Exchange ex) {
        ex.service.deleteManifest(ex.repo(), Reference.parse(ex.arg()));
        ex.sendEmpty(202);
    }


    /**
     * The reference of a GET or HEAD. A string that is not a valid tag names no manifest, so it is a 404
     * MANIFEST_UNKNOWN like any tag that is absent (the distribution-spec conformance tests ask for exactly that);
     * only a PUT, which would create the tag, says TAG_INVALID. The repository is checked first, so a missing one is
     * NAME_UNKNOWN either way. A malformed digest stays DIGEST_INVALID.
     */
    private static Reference readReference(Exchange ex) {
        String arg = ex.arg();
        try {
            return Reference.parse(arg);
        } catch (RegistryException e) {
            if (e.code() != ErrorCode.TAG_INVALID_FORMAT) {
                throw e;
            }
            ex.service.listTags(ex.repo(), null, 0); // NAME_UNKNOWN when the repository does not exist
            throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest unknown to registry",
                    Map.of("tag", Ranges.abbreviate(arg)));
        }
    }

    private static RegistryException tooLarge(long size) {
        return new RegistryException(ErrorCode.MANIFEST_TOO_LARGE,
                "manifest of " + size + " bytes exceeds the limit of " + MAX_MANIFEST_BYTES + " bytes");
    }
}
