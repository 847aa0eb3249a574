package io.berth.core.spi.blob;

/** Storage-level condition; services translate it into a {@link io.berth.core.error.RegistryException}. */
public class BlobNotFoundException extends java.io.IOException {
    private static final long serialVersionUID = 1L;

    public BlobNotFoundException(String message) {
        super(message);
    }
}
