package io.berth.core.envelope;

import io.berth.core.model.Digest;
import io.berth.core.spi.blob.BlobUpload;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** Sealed bytes into the upload, hashed on the way (the sealed copy's own digest), in 1 MiB appends. */
final class UploadSink extends OutputStream {
    /** Sealed bytes go to the upload in chunks of this size, not per segment. */
    private static final int APPEND_CHUNK = 1 << 20;
    private final BlobUpload upload;
    final MessageDigest hash = Digest.Algorithm.SHA256.newMessageDigest();
    private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream(APPEND_CHUNK);

    UploadSink(BlobUpload upload) {
        this.upload = upload;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        hash.update(b, off, len);
        pending.write(b, off, len);
        if (pending.size() >= APPEND_CHUNK) {
            drain();
        }
    }

    void drain() throws IOException {
        byte[] chunk = pending.toByteArray();
        pending.reset();
        if (chunk.length > 0) {
            upload.append(new java.io.ByteArrayInputStream(chunk), chunk.length);
        }
    }
}
