package io.berth.core.envelope;

import io.berth.core.model.Digest;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.meta.EnvelopeStore;
import io.berth.core.spi.meta.MetadataStore;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** What GC does to envelopes: it needs no key (a disabled key does not keep garbage alive). */
public final class EnvelopeGc {
    private static final String KMS = EnvelopeBlobs.KMS;
    private static final String KMS_DSSE = EnvelopeBlobs.KMS_DSSE;

    private EnvelopeGc() { }

    /**
     * GC, for blobs that stay: the wrapping of each KMS key whose last repository stopped holding the blob goes
     * (and with the last wrapping the sealed copy, see {@link #release}). Returns the wrappings removed.
     */
    public static long releaseUnheld(MetadataStore metadata, BlobStore blobs, java.time.Instant lastSeenBefore)
            throws IOException {
        long removed = 0;
        EnvelopeStore.Wrapping after = null;
        List<EnvelopeStore.Wrapping> page;
        do {
            EnvelopeStore.Wrapping from = after;
            page = metadata.read(tx -> tx.envelopes().unheld(lastSeenBefore, from, 100));
            for (EnvelopeStore.Wrapping w : page) {
                release(metadata, blobs, w.digest(), w.form(), w.keyArn());
                removed++;
            }
            after = page.isEmpty() ? null : page.get(page.size() - 1);
        } while (page.size() == 100);
        return removed;
    }

    /**
     * GC, when a blob itself goes (no manifest of any repository references it): its sealed copies in every form
     * and all their wrappings go too; rows first, then the bytes, so a crash between leaves only ciphertext no
     * wrapping opens. Needs no key (a disabled key does not keep garbage alive). Returns the bytes freed.
     */
    public static long dropCopies(MetadataStore metadata, BlobStore blobs, Digest digest) throws IOException {
        long freed = 0;
        for (String form : List.of(KMS, KMS_DSSE)) {
            Optional<EnvelopeStore.Sealed> gone = metadata.write(tx -> {
                Optional<EnvelopeStore.Sealed> s = tx.envelopes().sealed(digest, form);
                s.ifPresent(x -> tx.envelopes().remove(digest, form));
                return s;
            });
            if (gone.isPresent()) {
                freed += blobs.stat(gone.get().sealedDigest()).map(BlobStore.BlobInfo::size).orElse(0L);
                blobs.delete(gone.get().sealedDigest());
            }
        }
        return freed;
    }

    static boolean release(MetadataStore metadata, BlobStore blobs, Digest digest, String form,
                                   String keyArn) throws IOException {
        Optional<Digest> gone = metadata.write(tx -> {
            tx.envelopes().removeWrapping(digest, form, keyArn);
            if (!tx.envelopes().wrappings(digest, form).isEmpty()) {
                return Optional.<Digest>empty();
            }
            Optional<EnvelopeStore.Sealed> s = tx.envelopes().sealed(digest, form);
            tx.envelopes().remove(digest, form);
            return s.map(EnvelopeStore.Sealed::sealedDigest);
        });
        if (gone.isPresent()) {
            blobs.delete(gone.get());
        }
        return gone.isPresent();
    }
}
