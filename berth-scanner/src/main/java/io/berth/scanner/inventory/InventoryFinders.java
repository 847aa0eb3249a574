package io.berth.scanner.inventory;

import io.berth.scanner.layer.ImageFiles;
import io.berth.scanner.layer.Selector;
import io.berth.scanner.model.Distribution;
import io.berth.scanner.model.Ecosystem;
import io.berth.scanner.model.InstalledPackage;
import io.berth.scanner.model.Inventory;
import io.berth.scanner.result.ScanFailure;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Every finder, as the two things the walker needs: a {@link Selector} that says which files to keep or stream
 * through an analyzer, and the assembly of the final filesystem's files into an {@link Inventory}. A new ecosystem
 * is a finder class plus a line in each.
 */
public final class InventoryFinders {
    static final long OS_RELEASE_CAP = 64 << 10;
    static final long DPKG_STATUS_CAP = 64L << 20;
    static final long DPKG_STATUS_D_CAP = 1L << 20;
    static final long APK_DB_CAP = 64L << 20;
    static final long METADATA_CAP = 4L << 20;
    static final long PACKAGE_JSON_CAP = 4L << 20;
    /** A jar and the jars inside it may inflate to this much; Spring Boot apps are a few hundred MiB. */
    static final long JAR_INFLATED_CAP = 4L << 30;

    private static final String DPKG_STATUS = "var/lib/dpkg/status";
    private static final String DPKG_STATUS_D = "var/lib/dpkg/status.d/";
    private static final String APK_DB = "lib/apk/db/installed";
    private static final Comparator<InstalledPackage> ORDER = Comparator
            .comparing(InstalledPackage::ecosystem).thenComparing(InstalledPackage::name)
            .thenComparing(InstalledPackage::version).thenComparing(InstalledPackage::path);

    private final JarAnalyzer jars = new JarAnalyzer(JAR_INFLATED_CAP);
    private final GoBuildInfo go = new GoBuildInfo();
    private final RpmDbAnalyzer rpm = new RpmDbAnalyzer();

    /** What the walker keeps or analyzes: package databases and metadata files by path, archives and binaries. */
    public Selector selector() {
        Selector.Keep osRelease = new Selector.Keep(OS_RELEASE_CAP);
        Selector.Keep dpkg = new Selector.Keep(DPKG_STATUS_CAP);
        Selector.Keep dpkgD = new Selector.Keep(DPKG_STATUS_D_CAP);
        Selector.Keep apk = new Selector.Keep(APK_DB_CAP);
        Selector.Keep metadata = new Selector.Keep(METADATA_CAP);
        Selector.Keep packageJson = new Selector.Keep(PACKAGE_JSON_CAP);
        Selector.Analyze jar = new Selector.Analyze(jars);
        Selector.Analyze goBinary = new Selector.Analyze(go);
        Selector.Analyze rpmDb = new Selector.Analyze(rpm);
        return (path, size, mode) -> {
            if (path.equals("etc/os-release") || path.equals("usr/lib/os-release")) {
                return osRelease;
            }
            if (path.equals(DPKG_STATUS)) {
                return dpkg;
            }
            if (isStatusD(path)) {
                return dpkgD;
            }
            if (path.equals(APK_DB)) {
                return apk;
            }
            if (RpmDbAnalyzer.isRpmDb(path)) {
                return rpmDb;
            }
            if (PythonFinder.isMetadataPath(path)) {
                return metadata;
            }
            if (NodeFinder.isPackageJson(path)) {
                return packageJson;
            }
            if (JarAnalyzer.isArchive(path)) {
                return jar;
            }
            if (GoBuildInfo.mayBeBinary(size, mode)) {
                return goBinary;
            }
            return Selector.SKIP;
        };
    }

    /** distroless writes {@code <package>} and {@code <package>.md5sums} there; only the former are stanzas. */
    private static boolean isStatusD(String path) {
        return path.startsWith(DPKG_STATUS_D) && path.indexOf('/', DPKG_STATUS_D.length()) < 0
                && !path.endsWith(".md5sums") && path.length() > DPKG_STATUS_D.length();
    }

    /** The inventory of the final filesystem: the distribution, then every finder's packages in a stable order. */
    public Inventory inventory(ImageFiles files) throws ScanFailure {
        Distribution distribution = null;
        Optional<byte[]> osRelease = files.read("etc/os-release");
        if (osRelease.isEmpty()) {
            osRelease = files.read("usr/lib/os-release");
        }
        if (osRelease.isPresent()) {
            distribution = OsReleaseFinder.parse(osRelease.get());
        }
        Ecosystem deb = distribution != null && "ubuntu".equals(distribution.id()) ? Ecosystem.UBUNTU : Ecosystem.DEBIAN;
        List<InstalledPackage> packages = new ArrayList<>(files.analyzedPackages());
        for (ImageFiles.KeptFile f : files.keptFiles()) {
            String p = f.path();
            if (p.equals(DPKG_STATUS) || isStatusD(p)) {
                packages.addAll(DpkgFinder.parse(f.bytes(), p, deb));
            } else if (p.equals(APK_DB)) {
                packages.addAll(ApkFinder.parse(f.bytes(), p));
            } else if (PythonFinder.isMetadataPath(p)) {
                packages.addAll(PythonFinder.parse(f.bytes(), p));
            } else if (NodeFinder.isPackageJson(p)) {
                packages.addAll(NodeFinder.parse(f.bytes(), p));
            }
        }
        packages.sort(ORDER);
        return new Inventory(distribution, packages);
    }
}
