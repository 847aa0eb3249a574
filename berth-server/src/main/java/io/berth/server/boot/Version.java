package io.berth.server.boot;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version Maven filtered into {@code berth-version.properties}. */
public final class Version {
    public static final String VERSION = load();

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("/berth-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "dev").replace("-SNAPSHOT", "");
        } catch (IOException e) {
            return "dev";
        }
    }

    private Version() {}
}
