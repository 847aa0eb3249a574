package io.berth.scanner.inventory;

import io.berth.scanner.layer.StreamAnalyzer;
import io.berth.scanner.model.Ecosystem;
import io.berth.scanner.model.InstalledPackage;
import io.berth.scanner.result.FailureReason;
import io.berth.scanner.result.ScanFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * rpm's SQLite database ({@code var/lib/rpm/rpmdb.sqlite}, rpm 4.16+: Fedora 33+, RHEL 9, Amazon Linux 2023). SQLite
 * reads files, not streams, so the database is copied into a private temporary directory (mode 0700) that this
 * class creates and always deletes; it is opened read-only and the header blob of each row in {@code Packages} is
 * parsed. The older Berkeley DB and ndb formats (RHEL 8 and before, SUSE) are not read.
 */
final class RpmDbAnalyzer implements StreamAnalyzer {
    static final long MAX_DB_BYTES = 1L << 30;

    static boolean isRpmDb(String path) {
        return path.equals("var/lib/rpm/rpmdb.sqlite") || path.equals("usr/lib/sysimage/rpm/rpmdb.sqlite");
    }

    @Override
    public List<InstalledPackage> analyze(String path, long size, InputStream content) throws IOException, ScanFailure {
        if (size > MAX_DB_BYTES) {
            throw new ScanFailure(FailureReason.LIMIT_EXCEEDED, path + " is " + size + " bytes, more than "
                    + MAX_DB_BYTES);
        }
        Path dir = Files.createTempDirectory("berth-rpmdb-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Path db = dir.resolve("rpmdb.sqlite");
            try (OutputStream out = Files.newOutputStream(db)) {
                content.transferTo(out);
            }
            return read(db, path);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);   // the database and any -journal SQLite left
                }
            }
        }
    }

    static List<InstalledPackage> read(Path db, String path) throws ScanFailure {
        Properties props = new Properties();
        props.setProperty("open_mode", "1");   // SQLITE_OPEN_READONLY
        List<InstalledPackage> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db, props);
             Statement st = c.createStatement()) {
            // a view named Packages could run any query (a recursive CTE that never ends): only a table is read
            try (ResultSet t = st.executeQuery("SELECT type FROM sqlite_master WHERE name = 'Packages'")) {
                if (!t.next() || !"table".equals(t.getString(1))) {
                    throw new ScanFailure(FailureReason.MALFORMED_PACKAGE_DATA, path + " has no Packages table");
                }
            }
            readRows(st, path, out);
        } catch (SQLException e) {
            throw new ScanFailure(FailureReason.MALFORMED_PACKAGE_DATA, path + " is not an rpm SQLite database: "
                    + e.getMessage(), e);
        }
        return out;
    }

    private static void readRows(Statement st, String path, List<InstalledPackage> out)
            throws SQLException, ScanFailure {
        try (ResultSet rs = st.executeQuery("SELECT blob FROM Packages")) {
            while (rs.next()) {
                byte[] blob = rs.getBytes(1);
                RpmHeader h;
                try {
                    h = RpmHeader.parse(blob == null ? new byte[0] : blob);
                } catch (ScanFailure e) {
                    throw e.within(path);
                }
                if (h.name().equals("gpg-pubkey")) {
                    continue;   // imported signing keys are stored as pseudo-packages
                }
                out.add(new InstalledPackage(Ecosystem.RPM, h.name(), h.evr(), h.sourceName(), path));
            }
        }
    }
}
