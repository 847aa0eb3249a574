package io.berth.core.error;

/** The one exception services throw for conditions a client can be told about; see {@link ErrorCode}. */
public class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient Object detail;

    public RegistryException(ErrorCode code, String message) {
        this(code, message, null, null);
    }

    public RegistryException(ErrorCode code, String message, Object detail) {
        this(code, message, detail, null);
    }

    public RegistryException(ErrorCode code, String message, Object detail, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.detail = detail;
    }

    public ErrorCode code() { return code; }

    /** Optional structured detail for the OCI error body (for example the unknown digest); may be null. */
    public Object detail() { return detail; }
}
