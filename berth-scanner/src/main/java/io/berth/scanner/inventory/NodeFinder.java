package io.berth.scanner.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.scanner.model.Ecosystem;
import io.berth.scanner.model.InstalledPackage;
import io.berth.scanner.result.FailureReason;
import io.berth.scanner.result.ScanFailure;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Installed npm packages: the {@code package.json} directly in {@code node_modules/<name>/} or
 * {@code node_modules/@scope/<name>/}. The other package.json files a package ships (test fixtures, {@code "type":
 * "module"} markers in subdirectories) are not packages and are not read.
 */
final class NodeFinder {
    private static final Pattern PATH = Pattern.compile("(.*/)?node_modules/(@[^/]+/)?[^/@][^/]*/package\\.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private NodeFinder() {}

    static boolean isPackageJson(String path) {
        return path.endsWith("/package.json") && PATH.matcher(path).matches();
    }

    static List<InstalledPackage> parse(byte[] bytes, String path) throws ScanFailure {
        JsonNode doc;
        try {
            doc = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new ScanFailure(FailureReason.MALFORMED_PACKAGE_DATA, path + " is not JSON: " + firstLine(e.getMessage()));
        }
        if (doc == null || !doc.isObject()) {
            throw new ScanFailure(FailureReason.MALFORMED_PACKAGE_DATA, path + " is not a JSON object");
        }
        JsonNode name = doc.get("name");
        JsonNode version = doc.get("version");
        // a package.json without both is a workspace stub or a private manifest: no published package to match
        if (name == null || version == null || !name.isTextual() || !version.isTextual()
                || !ControlStanzas.isToken(name.asText()) || !ControlStanzas.isToken(version.asText())) {
            return List.of();
        }
        return List.of(new InstalledPackage(Ecosystem.NPM, name.asText(), version.asText(), null, path));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
