package io.berth.core.spi.meta;

/**
 * {@link BlobRecordStore#link} found no live record of the blob: GC removed it (or is removing it) after the upload
 * touched it, which only a grace period shorter than the upload allows. The push must be retried, not failed as a
 * fault.
 */
public final class BlobRecordGoneException extends MetadataException {
    public BlobRecordGoneException(String message) {
        super(message, null);
    }
}
