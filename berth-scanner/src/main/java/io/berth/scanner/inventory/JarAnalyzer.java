package io.berth.scanner.inventory;

import io.berth.scanner.layer.StreamAnalyzer;
import io.berth.scanner.model.Ecosystem;
import io.berth.scanner.model.InstalledPackage;
import io.berth.scanner.result.FailureReason;
import io.berth.scanner.result.ScanFailure;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Java archives, read as a stream (a fat jar can be hundreds of MiB): every {@code META-INF/maven/<g>/<a>/pom.properties}
 * is a Maven package (shaded jars carry several); a jar without one falls back to its {@code MANIFEST.MF}
 * (Implementation-* or Bundle-* headers) and its file name. Jars nested in a jar (Spring Boot's {@code BOOT-INF/lib},
 * a war's {@code WEB-INF/lib}) are read the same way, to a bounded depth, with the inflated bytes bounded too so a
 * zip bomb ends the scan instead of the CPU.
 */
final class JarAnalyzer implements StreamAnalyzer {
    static final int MAX_DEPTH = 3;
    private static final int SMALL_FILE_CAP = 1 << 20;
    private static final Pattern POM_PROPERTIES = Pattern.compile("META-INF/maven/[^/]+/[^/]+/pom\\.properties");
    private static final Pattern NAME_VERSION = Pattern.compile("(.+?)-(\\d[^/]*)\\.[a-zA-Z]+");

    private final long maxInflatedBytes;

    JarAnalyzer(long maxInflatedBytes) {
        this.maxInflatedBytes = maxInflatedBytes;
    }

    static boolean isArchive(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return lower.endsWith(".jar") || lower.endsWith(".war") || lower.endsWith(".ear");
    }

    @Override
    public List<InstalledPackage> analyze(String path, long size, InputStream content) throws ScanFailure {
        long[] inflated = {0};
        List<InstalledPackage> out = new ArrayList<>();
        try {
            read(path, content, 1, inflated, out);
        } catch (ScanFailure e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // ZipInputStream signals bad data with ZipException and, for some headers, IllegalArgumentException
            throw new ScanFailure(FailureReason.MALFORMED_PACKAGE_DATA, path + " is not a readable jar: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        return out;
    }

    private void read(String path, InputStream in, int depth, long[] inflated, List<InstalledPackage> out)
            throws IOException, ScanFailure {
        ZipInputStream zip = new ZipInputStream(in);
        List<InstalledPackage> own = new ArrayList<>();
        Manifest manifest = null;
        ZipEntry e;
        while ((e = zip.getNextEntry()) != null) {
            String name = e.getName();
            if (POM_PROPERTIES.matcher(name).matches()) {
                InstalledPackage p = fromPomProperties(readSmall(zip, path, name), path);
                if (p != null) {
                    own.add(p);
                }
            } else if (name.equals("META-INF/MANIFEST.MF")) {
                manifest = new Manifest(new ByteArrayInputStream(readSmall(zip, path, name)));
            } else if (isArchive(name) && !e.isDirectory() && depth < MAX_DEPTH) {
                read(path + "!/" + name, new FilterInputStream(zip) {
                    @Override
                    public void close() {}
                }, depth + 1, inflated, out);
            }
            drainCounted(zip, path, inflated);
        }
        if (own.isEmpty()) {
            InstalledPackage p = fromManifest(manifest, path);
            if (p != null) {
                own.add(p);
            }
        }
        out.addAll(own);
    }

    /**
     * Reads the rest of the entry here rather than letting getNextEntry skip it, so the inflated bytes are counted:
     * a small deflated entry can inflate to many GiB.
     */
    private void drainCounted(ZipInputStream zip, String path, long[] inflated) throws IOException, ScanFailure {
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = zip.read(buf)) > 0) {
            inflated[0] += n;
            if (inflated[0] > maxInflatedBytes) {
                throw new ScanFailure(FailureReason.LIMIT_EXCEEDED, path + " and the jars inside it inflate to more than "
                        + maxInflatedBytes + " bytes");
            }
        }
    }

    private static byte[] readSmall(ZipInputStream zip, String jar, String entry) throws IOException, ScanFailure {
        byte[] bytes = zip.readNBytes(SMALL_FILE_CAP + 1);
        if (bytes.length > SMALL_FILE_CAP) {
            throw new ScanFailure(FailureReason.LIMIT_EXCEEDED, jar + "!/" + entry + " is larger than "
                    + SMALL_FILE_CAP + " bytes");
        }
        return bytes;
    }

    private static InstalledPackage fromPomProperties(byte[] bytes, String path) throws IOException {
        Properties p = new Properties();
        p.load(new ByteArrayInputStream(bytes));
        String group = p.getProperty("groupId");
        String artifact = p.getProperty("artifactId");
        String version = p.getProperty("version");
        if (!ControlStanzas.isToken(group) || !ControlStanzas.isToken(artifact) || !ControlStanzas.isToken(version)) {
            return null;   // an incomplete pom.properties names nothing we could match; the manifest may
        }
        return new InstalledPackage(Ecosystem.MAVEN, group + ":" + artifact, version, null, path);
    }

    /**
     * The fallback for jars built without Maven metadata. The group is known only when the manifest names it
     * (Implementation-Vendor-Id, which Maven's archiver wrote); else the name is the artifact alone.
     */
    static InstalledPackage fromManifest(Manifest manifest, String path) {
        Attributes a = manifest == null ? new Attributes() : manifest.getMainAttributes();
        String fileName = path.substring(path.lastIndexOf('/') + 1);
        Matcher m = NAME_VERSION.matcher(fileName);
        String fileArtifact = m.matches() ? m.group(1) : null;
        String fileVersion = m.matches() ? m.group(2) : null;
        String artifact = first(a.getValue("Implementation-Title"), a.getValue("Bundle-SymbolicName"), fileArtifact);
        String version = first(a.getValue("Implementation-Version"), a.getValue("Bundle-Version"), fileVersion);
        String group = a.getValue("Implementation-Vendor-Id");
        if (fileArtifact != null && artifact != null && artifact.contains(" ")) {
            artifact = fileArtifact;   // a title such as "Apache Commons IO" is not an artifactId
        }
        if (!ControlStanzas.isToken(artifact) || !ControlStanzas.isToken(version)) {
            return null;
        }
        String name = ControlStanzas.isToken(group) ? group + ":" + artifact : artifact;
        return new InstalledPackage(Ecosystem.MAVEN, name, version, null, path);
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }
}
