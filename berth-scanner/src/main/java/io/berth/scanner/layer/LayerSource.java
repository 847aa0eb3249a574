package io.berth.scanner.layer;

import java.io.IOException;
import java.io.InputStream;

/**
 * Opens one layer's stored (compressed) bytes. The walker depends on this and not on {@code BlobStore}, so it can be
 * tested on generated streams and fed from any store: the server passes {@code () -> store.open(digest, 0, -1).stream()}.
 */
@FunctionalInterface
public interface LayerSource {
    InputStream open() throws IOException;
}
