package io.berth.core.spi.meta;

/** The database failed in a way no client caused (unreachable, corrupt, constraint the caller did not expect). */
public class MetadataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MetadataException(String message, Throwable cause) {
        super(message, cause);
    }
}
