package io.berth.core.envelope;

import java.io.IOException;
import java.io.InputStream;

/** Bytes that can be read from any offset: a stored blob, or the plaintext of a layer of encryption over one. */
interface RangeSource {
    long size();

    /** {@code length} bytes from {@code offset}; the caller keeps within {@link #size}. */
    InputStream open(long offset, long length) throws IOException;
}
