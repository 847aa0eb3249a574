package io.berth.storage.s3;

/** The bucket cannot be used as configured; the message names the setting ({@code storage.s3.bucket}, …). */
public final class S3SetupException extends Exception {
    private static final long serialVersionUID = 1L;

    S3SetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
