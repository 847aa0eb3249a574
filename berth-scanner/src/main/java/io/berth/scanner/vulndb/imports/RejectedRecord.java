package io.berth.scanner.vulndb.imports;

/** A record that cannot be stored; {@link #reason} is a short category, counted in the {@link ImportSummary}. */
final class RejectedRecord extends Exception {
    private static final long serialVersionUID = 1L;
    private final String reason;

    RejectedRecord(String reason, String detail) {
        super(reason + (detail == null ? "" : ": " + detail), null, false, false);
        this.reason = reason;
    }

    String reason() { return reason; }
}
