package io.berth.scanner.image;

import io.berth.core.model.Digest;
import java.io.IOException;
import java.io.InputStream;

/** Reads a blob of the image by digest; the server passes {@code d -> blobStore.open(d, 0, -1).stream()}. */
@FunctionalInterface
public interface BlobSource {
    InputStream open(Digest digest) throws IOException;
}
