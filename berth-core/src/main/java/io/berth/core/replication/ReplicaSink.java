package io.berth.core.replication;

import io.berth.core.model.Digest;
import io.berth.core.service.BlobContent;
import java.io.IOException;

/**
 * Where an image is replicated to, one repository: a registry of this deployment ({@link LocalSink}, whose blobs
 * are the source's, only linked) or a peer deployment ({@link PeerSink}, over its {@code /v2}, uploading only the
 * blobs it lacks).
 */
interface ReplicaSink {
    /** Opens one source blob; called only when the destination lacks it. */
    interface BlobSource {
        BlobContent open() throws IOException;
    }

    /** Makes {@code digest} available to manifests of the destination repository. */
    void blob(Digest digest, BlobSource source) throws IOException;

    /** Stores a manifest by digest ({@code tag} null) or under {@code tag}. */
    void manifest(Digest digest, String tag, String mediaType, byte[] content) throws IOException;

    /** Deletes the image {@code digest} (beyond ECR, opt-in); already absent is done. */
    void delete(Digest digest) throws IOException;
}
