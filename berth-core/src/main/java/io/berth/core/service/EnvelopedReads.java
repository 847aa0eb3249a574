package io.berth.core.service;

import io.berth.core.envelope.EnvelopeBlobs;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.kms.KeyGate;
import io.berth.core.model.Digest;
import io.berth.core.spi.blob.BlobNotFoundException;
import io.berth.core.spi.blob.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The data plane's side of envelope encryption: a blob pushed or mounted into a KMS repository gets its sealed copy
 * (or, when the copy exists, a wrapping for the repository's key), and pulls from a KMS repository are served from
 * the sealed copy through that key. A blob held before this existed (or arriving another way, such as pull-through)
 * is sealed on its first pull.
 */
final class EnvelopedReads {
    private final EnvelopeBlobs envelopes;
    private final BlobStore blobs;

    EnvelopedReads(EnvelopeBlobs envelopes, BlobStore blobs) {
        this.envelopes = envelopes;
        this.blobs = blobs;
    }

    /** Makes sure {@code key}'s repository can read {@code digest} from its sealed form. */
    void ensure(KeyGate.RepositoryKey key, Digest digest) {
        if (envelopes.holds(digest, key.form(), key.keyArn())) {
            return;
        }
        try {
            if (!envelopes.hasCopy(digest, key.form())) {
                // the plain form, or (dropped already) another form's sealed copy through the fallback
                try (BlobStore.BlobReader plain = blobs.open(digest, 0, -1); InputStream in = plain.stream()) {
                    envelopes.seal(digest, key.form(), key.keyArn(), in);
                }
            } else {
                envelopes.addWrappingForKey(digest, key.form(), key.keyArn());
            }
            envelopes.dropPlainForm(digest);
        } catch (BlobNotFoundException e) {
            throw new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob unknown to registry",
                    java.util.Map.of("digest", digest.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the blob's plain form again from a sealed copy (through any usable wrapping) when it was dropped: for
     * an AES256 repository that came to hold a blob only KMS repositories held. Nothing when the plain form is there.
     */
    void restorePlainForm(Digest digest) {
        try {
            if (blobs.stat(digest).isPresent()) {
                return;
            }
            try (BlobStore.BlobReader sealed = envelopes.openAny(digest, 0, -1).orElseThrow(() ->
                    new BlobNotFoundException(digest.toString())); InputStream in = sealed.stream()) {
                io.berth.core.spi.blob.BlobUpload upload = blobs.startUpload();
                boolean committed = false;
                try {
                    upload.append(in, sealed.length());
                    upload.commit(digest); // verifies the digest: a wrong plaintext is never stored
                    committed = true;
                } finally {
                    if (!committed) {
                        upload.cancel();
                    }
                    upload.close();
                }
            }
        } catch (BlobNotFoundException e) {
            throw new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob unknown to registry",
                    java.util.Map.of("digest", digest.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The range of the blob's plaintext, from its sealed copy through the repository's key. */
    BlobContent open(KeyGate.RepositoryKey key, Digest digest, long offset, long length) {
        ensure(key, digest);
        try {
            return BlobContent.of(envelopes.open(digest, key.form(), key.keyArn(), offset, length));
        } catch (BlobNotFoundException e) {
            throw new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob unknown to registry",
                    java.util.Map.of("digest", digest.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
