package io.berth.server.http.oci;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.Digest;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.RegistryService.BlobStat;
import io.berth.core.service.RegistryService.UploadStatus;
import io.berth.server.http.oci.Ranges.ByteRange;
import java.io.InputStream;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;

/** {@code /v2/<name>/blobs/uploads/[<id>]}: start (plain, monolithic, mount), PATCH, PUT, status, cancel. */
final class UploadEndpoints {


    /** POST: mount when asked and possible, else a monolithic upload with {@code ?digest=}, else a new session. */
    void start(Exchange ex) {
        RepositoryName repo = ex.repo();
        String mount = ex.query("mount");
        if (mount != null) {
            Digest digest = Digest.parse(mount);
            String from = ex.query("from");
            // A mount reads its source, so it needs pull permission there, checked as a pull is: without it the
            // answer is an ordinary upload session, which does not tell whether the blob exists where the caller
            // may not read. Without "from", every repository of this registry that links the blob and that the
            // caller may pull from is a candidate source (the spec lets a registry choose the source itself then).
            Optional<BlobStat> mounted;
            if (from != null) {
                RepositoryName source = RepositoryName.of(from);
                mounted = mayPull(ex, source) ? ex.service.mount(repo, digest, Optional.of(source)) : Optional.empty();
            } else {
                mounted = ex.service.mountFromAny(repo, digest, name -> mayPull(ex, name));
            }
            if (mounted.isPresent()) {
                created(ex, mounted.get());
                return;
            }
            // spec: when the mount cannot happen, fall back to an ordinary upload session
        } else {
            String digest = ex.query("digest");
            if (digest != null) {
                Digest d = Digest.parse(digest);
                created(ex, ex.service.uploadMonolithic(repo, d, ex.body(), ex.contentLength()));
                return;
            }
        }
        UploadStatus status = ex.service.startUpload(repo);
        accepted(ex, status);
    }

    void patch(Exchange ex) {
        RepositoryName repo = ex.repo();
        String id = uploadId(ex);
        ByteRange range = Ranges.parseContentRange(ex.requestHeader(HttpHeader.CONTENT_RANGE));
        long expected = expectedLength(ex, range);
        UploadStatus status = ex.service.appendUpload(repo, id, ex.body(), range == null ? null : range.start(), expected);
        accepted(ex, status);
    }

    void put(Exchange ex) {
        RepositoryName repo = ex.repo();
        String id = uploadId(ex);
        Digest digest = Digest.parse(ex.query("digest"));
        ByteRange range = Ranges.parseContentRange(ex.requestHeader(HttpHeader.CONTENT_RANGE));
        long expected = expectedLength(ex, range);
        InputStream body = expected == 0 ? null : ex.body();
        created(ex, ex.service.completeUpload(repo, id, digest, body, range == null ? null : range.start(), expected));
    }

    void status(Exchange ex) {
        UploadStatus status = ex.service.uploadStatus(ex.repo(), uploadId(ex));
        headers(ex, status);
        ex.sendEmpty(204);
    }

    void cancel(Exchange ex) {
        ex.service.cancelUpload(ex.repo(), uploadId(ex));
        ex.sendEmpty(204);
    }

    /** What a pull of the blob from {@code repository} needs: the manifest GET's action and the blob GET's. */
    private static boolean mayPull(Exchange ex, RepositoryName repository) {
        return ex.access.may("ecr:BatchGetImage", repository.value())
                && ex.access.may("ecr:GetDownloadUrlForLayer", repository.value());
    }

    /** Upload ids are opaque, but only ever {@code [A-Za-z0-9_-]}: anything else cannot be a session of ours. */
    private static String uploadId(Exchange ex) {
        String id = ex.arg();
        boolean ok = id.length() <= 128;
        for (int i = 0; ok && i < id.length(); i++) {
            char c = id.charAt(i);
            ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
        }
        if (!ok) {
            throw new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "unknown upload " + Ranges.abbreviate(id));
        }
        return id;
    }

    /** Content-Length, or the Content-Range's length when only that was sent; they must agree when both are. */
    private static long expectedLength(Exchange ex, ByteRange range) {
        long length = ex.contentLength();
        if (range != null) {
            if (length >= 0 && length != range.length()) {
                throw new RegistryException(ErrorCode.BLOB_UPLOAD_RANGE_INVALID, "Content-Range covers "
                        + range.length() + " bytes but Content-Length is " + length);
            }
            return range.length();
        }
        return length;
    }

    private static void accepted(Exchange ex, UploadStatus status) {
        headers(ex, status);
        ex.sendEmpty(202);
    }

    private static void headers(Exchange ex, UploadStatus status) {
        ex.header(HttpHeader.LOCATION, Exchange.location(ex.path.name(), "blobs/uploads", status.uploadId()))
                .header(HttpHeader.RANGE, "0-" + Math.max(0, status.size() - 1))
                .header("Docker-Upload-UUID", status.uploadId());
    }

    private static void created(Exchange ex, BlobStat stat) {
        String digest = stat.digest().toString();
        ex.header(HttpHeader.LOCATION, Exchange.location(ex.path.name(), "blobs", digest))
                .header("Docker-Content-Digest", digest);
        ex.sendEmpty(201);
    }
}
