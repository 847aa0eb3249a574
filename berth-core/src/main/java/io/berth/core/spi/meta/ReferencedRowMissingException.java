package io.berth.core.spi.meta;

/**
 * A write referenced a row that is not there (a foreign-key violation): typically a repository deleted by another
 * request between the caller's lookup and its insert. The service decides what the client hears (NAME_UNKNOWN
 * when the repository is indeed gone); stores throw this instead of a plain {@link MetadataException} so that a
 * race is not mistaken for a server fault.
 */
public class ReferencedRowMissingException extends MetadataException {
    private static final long serialVersionUID = 1L;

    public ReferencedRowMissingException(String message, Throwable cause) {
        super(message, cause);
    }
}
