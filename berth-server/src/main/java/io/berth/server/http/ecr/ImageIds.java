package io.berth.server.http.ecr;

import io.berth.core.error.RegistryException;
import io.berth.core.model.Digest;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import io.berth.core.service.ImageCatalog;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves an ECR ImageIdentifier for the batch operations, which report per-id failures instead of throwing. The
 * failure codes are the model's ImageFailureCode values; reasons follow ECR's (as moto records them).
 */
final class ImageIds {
    private ImageIds() {}

    /** Either a digest (with the tag it was asked by, if any) or a failure. */
    record Resolved(Digest digest, Tag tag, Shapes.ImageFailure failure) {}

    static Resolved resolve(ImageCatalog images, RepositoryName repo, Shapes.ImageIdentifier id) {
        return resolveAll(images, repo, java.util.Collections.singletonList(id)).get(0);
    }

    /** {@link #resolve} for each of {@code ids}, in order, with every tag looked up in one query. */
    static List<Resolved> resolveAll(ImageCatalog images, RepositoryName repo, List<Shapes.ImageIdentifier> ids) {
        List<Resolved> parsed = new ArrayList<>(ids.size());
        Set<Tag> tags = new LinkedHashSet<>();
        for (Shapes.ImageIdentifier id : ids) {
            Resolved p = parse(id);
            parsed.add(p);
            if (p.failure() == null && p.tag() != null) {
                tags.add(p.tag());
            }
        }
        Map<Tag, Digest> targets = tags.isEmpty() ? Map.of() : images.resolveAll(repo, tags);
        List<Resolved> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            Resolved p = parsed.get(i);
            if (p.failure() != null || p.tag() == null) {
                out.add(p);
                continue;
            }
            Digest target = targets.get(p.tag());
            if (target == null) {
                out.add(failed(ids.get(i), "ImageNotFound", "Requested image not found"));
            } else if (p.digest() != null && !p.digest().equals(target)) {
                out.add(failed(ids.get(i), "ImageTagDoesNotMatchDigest", "Invalid request parameters: image tag "
                        + "does not match digest"));
            } else {
                out.add(new Resolved(target, p.tag(), null));
            }
        }
        return out;
    }

    /** The id's digest and tag as given (the tag not yet looked up), or why they are malformed. */
    private static Resolved parse(Shapes.ImageIdentifier id) {
        if (id == null || (id.imageDigest() == null && id.imageTag() == null)) {
            return failed(id, "MissingDigestAndTag", "Invalid request parameters: both tag and digest cannot be null");
        }
        Digest digest = null;
        if (id.imageDigest() != null) {
            try {
                digest = Validation.digest("imageDigest", id.imageDigest());
            } catch (RegistryException e) {
                return failed(id, "InvalidImageDigest", "Invalid request parameters: image digest should satisfy "
                        + "the regex '" + Validation.DIGEST_PATTERN + "'");
            }
        }
        Tag tag = null;
        if (id.imageTag() != null) {
            try {
                tag = Tag.of(id.imageTag());
            } catch (RegistryException e) {
                return failed(id, "InvalidImageTag", "Invalid request parameters: image tag is invalid");
            }
        }
        return new Resolved(digest, tag, null);
    }

    static Resolved failed(Shapes.ImageIdentifier id, String code, String reason) {
        return new Resolved(null, null, new Shapes.ImageFailure(id, code, reason));
    }
}
