package io.berth.scanner.version;

/** A version string its ecosystem's rules cannot parse; importers reject the record that carries it. */
public final class InvalidVersionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidVersionException(String scheme, String version, String why) {
        super("not a valid " + scheme + " version: '" + version + "' (" + why + ")");
    }
}
