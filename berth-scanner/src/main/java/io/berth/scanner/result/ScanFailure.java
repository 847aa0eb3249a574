package io.berth.scanner.result;

import java.util.Objects;

/**
 * A scan that cannot complete because of what is in the image, with the reason and a message that names the layer,
 * the entry or the line. Checked, so every path from hostile input to the caller has to decide about it; the
 * scanner's entry points turn it into {@link ScanOutcome.Failed} rather than let it escape.
 */
public final class ScanFailure extends Exception {
    private final FailureReason reason;

    public ScanFailure(FailureReason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public ScanFailure(FailureReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public FailureReason reason() { return reason; }

    /** The same failure with a prefix that says where (a layer, a nested jar) it happened. */
    public ScanFailure within(String where) {
        return new ScanFailure(reason, where + ": " + getMessage(), this);
    }
}
