package io.berth.core.spi.blob;

/** Storage-level condition; services translate it into a {@link io.berth.core.error.RegistryException}. */
public class BlobUploadTooLargeException extends java.io.IOException {
    private static final long serialVersionUID = 1L;

    public BlobUploadTooLargeException(String message) {
        super(message);
    }
}
