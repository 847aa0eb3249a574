package io.berth.server;

/** Lets tests in other packages run the CLI exactly as {@code main} does, without {@code System.exit}. */
public final class MainAccess {
    private MainAccess() {}

    public static int execute(String... args) {
        return Main.newCommandLine().execute(args);
    }
}
