package io.berth.server.http.ecr;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.manifest.ManifestParser;
import io.berth.core.model.Digest;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import io.berth.core.service.RegistryService.PushedManifest;
import java.nio.charset.StandardCharsets;

/**
 * PutImage: stores a manifest through the same core putManifest as {@code PUT /v2/.../manifests/}, so validation,
 * storage and tag immutability are shared. ECR-only on top: the repository must already exist, and a put that
 * changes nothing is ImageAlreadyExists.
 */
final class PutImageAction implements EcrAction<PutImageAction.PutImageRequest, PutImageAction.PutImageResponse> {

    record PutImageRequest(String registryId, String repositoryName, String imageManifest,
                           String imageManifestMediaType, String imageTag, String imageDigest)
            implements EcrTarget.InRepository {}

    record PutImageResponse(Shapes.Image image) {}

    @Override
    public Class<PutImageRequest> requestType() { return PutImageRequest.class; }

    @Override
    public PutImageResponse handle(EcrCall call, PutImageRequest q) {
        RepositoryName repo = call.repository();
        Validation.required("imageManifest", q.imageManifest());
        Validation.length("imageManifest", q.imageManifest(), 1, 4_194_304);
        Validation.length("imageTag", q.imageTag(), 1, 300);
        Tag tag = null;
        if (q.imageTag() != null) {
            try {
                tag = Tag.of(q.imageTag());
            } catch (RegistryException e) {
                // ECR allows 300 characters with no pattern, but the tag must also be pullable over /v2/
                throw Validation.invalid("imageTag", "must satisfy regular expression '[a-zA-Z0-9_][a-zA-Z0-9._-]"
                        + "{0,127}'");
            }
        }
        byte[] body = q.imageManifest().getBytes(StandardCharsets.UTF_8);
        Digest expected = null;
        if (q.imageDigest() != null) {
            expected = Validation.digest("imageDigest", q.imageDigest());
            Digest actual = Digest.compute(expected.algorithm(), body);
            if (!actual.equals(expected)) {
                throw new RegistryException(ErrorCode.IMAGE_DIGEST_MISMATCH, "Manifest digest '" + actual
                        + "' does not match the digest '" + expected + "' specified");
            }
        }
        call.admin().require(repo); // ECR never creates repositories on PutImage
        PushedManifest pushed = call.data().putManifest(repo, expected, tag, q.imageManifestMediaType(), body);
        if (!pushed.changed()) {
            throw new RegistryException(ErrorCode.IMAGE_ALREADY_EXISTS, "Image with digest '" + pushed.digest()
                    + "'" + (tag == null ? "" : " and tag '" + tag + "'") + " already exists in the repository "
                    + "with name '" + repo + "' in registry with id '" + call.registryId + "'");
        }
        String mediaType = ManifestParser.parse(q.imageManifestMediaType(), body).mediaType();
        return new PutImageResponse(new Shapes.Image(call.registryId.value(), repo.value(),
                new Shapes.ImageIdentifier(pushed.digest().toString(), q.imageTag()), q.imageManifest(), mediaType));
    }
}
