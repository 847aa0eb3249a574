package io.berth.core.envelope;

import io.berth.core.model.Digest;
import io.berth.core.spi.blob.BlobNotFoundException;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.blob.BlobUpload;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The blob store as the rest of the registry sees it once {@link EnvelopeBlobs#dropPlainForm} may have dropped a
 * blob's plain form: reading a blob that only has sealed copies decrypts one (through any usable wrapping), and
 * such a blob is never redirected (there is no plain object to presign). Everything else passes to the store
 * unchanged; {@link #stat} stays the plain form's, so a push into an AES256 repository writes that form again.
 * The envelopes are set after construction, since they need the key service, built on the same metadata.
 */
public final class PlainFormFallback implements BlobStore {
    private final BlobStore store;
    private volatile EnvelopeBlobs envelopes;

    public PlainFormFallback(BlobStore store) {
        this.store = store;
    }

    /** The store without the fallback (the envelopes' own sealed copies live there). */
    public BlobStore store() { return store; }

    public void useEnvelopes(EnvelopeBlobs envelopes) {
        this.envelopes = envelopes;
    }

    @Override
    public BlobReader open(Digest digest, long offset, long length) throws IOException {
        try {
            return store.open(digest, offset, length);
        } catch (BlobNotFoundException e) {
            EnvelopeBlobs sealed = envelopes;
            if (sealed == null) {
                throw e;
            }
            return sealed.openAny(digest, offset, length).orElseThrow(() -> e);
        }
    }

    @Override
    public Optional<URI> redirectUrl(Digest digest, Duration validity) {
        Optional<URI> url = store.redirectUrl(digest, validity);
        EnvelopeBlobs sealed = envelopes;
        if (url.isEmpty() || sealed == null
                || !(sealed.hasCopy(digest, EnvelopeBlobs.KMS) || sealed.hasCopy(digest, EnvelopeBlobs.KMS_DSSE))) {
            return url;
        }
        try {
            // sealed somewhere: presign only while the plain object is really there
            return store.stat(digest).isPresent() ? url : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override public String describe() { return store.describe(); }

    @Override public Optional<BlobInfo> stat(Digest digest) throws IOException { return store.stat(digest); }

    @Override public BlobUpload startUpload() throws IOException { return store.startUpload(); }

    @Override public BlobUpload resumeUpload(String uploadId) throws IOException { return store.resumeUpload(uploadId); }

    @Override public boolean delete(Digest digest) throws IOException { return store.delete(digest); }

    @Override public boolean archive(Digest digest) throws IOException { return store.archive(digest); }

    @Override public boolean restore(Digest digest) throws IOException { return store.restore(digest); }

    @Override public Optional<BlobInfo> statArchived(Digest digest) throws IOException {
        return store.statArchived(digest);
    }

    @Override public void forEach(Consumer<BlobInfo> visitor) throws IOException { store.forEach(visitor); }

    @Override public void forEachUpload(Consumer<UploadInfo> visitor) throws IOException {
        store.forEachUpload(visitor);
    }

    @Override public void checkHealth() throws IOException { store.checkHealth(); }

    @Override public void close() throws IOException { store.close(); }
}
