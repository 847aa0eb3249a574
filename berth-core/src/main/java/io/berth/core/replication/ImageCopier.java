package io.berth.core.replication;

import io.berth.core.manifest.ManifestParser;
import io.berth.core.manifest.ParsedManifest;
import io.berth.core.model.Descriptor;
import io.berth.core.model.Digest;
import io.berth.core.model.Reference;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.RegistryService;
import io.berth.core.service.RegistryService.StoredManifest;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Copies one image of a source repository to a {@link ReplicaSink}: an index's children first, every manifest's
 * blobs before the manifest (so the destination never holds a manifest whose content it lacks), then the image's
 * tags and its referrers (signatures, SBOMs), each the same way. Safe to repeat: every step is idempotent.
 */
final class ImageCopier {
    private final RegistryService source;
    private final RepositoryName repository;
    private final ReplicaSink sink;
    private final Set<Digest> copied = new HashSet<>();

    ImageCopier(RegistryService source, RepositoryName repository, ReplicaSink sink) {
        this.source = source;
        this.repository = repository;
        this.sink = sink;
    }

    /** Copies {@code digest} with its children, then tags it with {@code tags} and copies its referrers. */
    void copy(Digest digest, List<String> tags) throws IOException {
        StoredManifest m = manifest(digest);
        for (String tag : tags) {
            sink.manifest(digest, tag, m.mediaType(), m.content());
        }
        for (Descriptor referrer : source.referrers(repository, digest, null)) {
            manifest(referrer.digest());
        }
    }

    private StoredManifest manifest(Digest digest) throws IOException {
        StoredManifest m = source.getManifest(repository, new Reference.ByDigest(digest));
        if (!copied.add(digest)) {
            return m;
        }
        ParsedManifest parsed = ManifestParser.parse(m.mediaType(), m.content());
        for (Descriptor child : parsed.children()) {
            manifest(child.digest());
        }
        for (Digest blob : parsed.blobs()) {
            sink.blob(blob, () -> source.openBlob(repository, blob, 0, -1));
        }
        sink.manifest(digest, null, m.mediaType(), m.content());
        return m;
    }
}
