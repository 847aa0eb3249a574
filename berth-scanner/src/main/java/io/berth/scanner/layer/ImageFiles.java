package io.berth.scanner.layer;

import io.berth.scanner.model.InstalledPackage;
import io.berth.scanner.result.FailureReason;
import io.berth.scanner.result.ScanFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;

/**
 * The final filesystem of an image, as far as scanning needs it: the kept small files, the analyzers' results per
 * file and every symlink, after all whiteouts. Nothing else of the layers is held.
 */
public final class ImageFiles {
    /** Linux follows at most 40 symlinks in one lookup (MAXSYMLINKS); so do we. */
    private static final int MAX_LINK_HOPS = 40;

    /** A kept file: its path in the image and its bytes. */
    public record KeptFile(String path, byte[] bytes) {}

    /** One entry of the final filesystem: a kept file (bytes), an analyzed file (packages) or a symlink (target). */
    record Node(int layer, byte[] bytes, List<InstalledPackage> packages, String linkTarget) {
        boolean isSymlink() { return linkTarget != null; }

        Node inLayer(int other) { return new Node(other, bytes, packages, linkTarget); }
    }

    private final NavigableMap<String, Node> nodes;

    ImageFiles(NavigableMap<String, Node> nodes) {
        this.nodes = nodes;
    }

    /**
     * The bytes of a kept file, following symlinks in any component of the path inside the image root.
     * @throws ScanFailure LINK_LOOP when the links do not end within 40 hops
     */
    public Optional<byte[]> read(String path) throws ScanFailure {
        String resolved = resolve(path);
        Node node = resolved == null ? null : nodes.get(resolved);
        return node == null || node.bytes() == null ? Optional.empty() : Optional.of(node.bytes());
    }

    /** Every kept regular file (not the symlinks to them), in path order. */
    public List<KeptFile> keptFiles() {
        List<KeptFile> out = new ArrayList<>();
        for (Map.Entry<String, Node> e : nodes.entrySet()) {
            if (e.getValue().bytes() != null) {
                out.add(new KeptFile(e.getKey(), e.getValue().bytes()));
            }
        }
        return out;
    }

    /** The packages the stream analyzers found in the files that survived, in path order. */
    public List<InstalledPackage> analyzedPackages() {
        List<InstalledPackage> out = new ArrayList<>();
        for (Node n : nodes.values()) {
            if (n.packages() != null) {
                out.addAll(n.packages());
            }
        }
        return out;
    }

    /** The symlink target a path holds, unresolved, or null. */
    public String linkTarget(String path) {
        Node n = nodes.get(path);
        return n == null ? null : n.linkTarget();
    }

    private String resolve(String path) throws ScanFailure {
        String pending = path;
        int hops = 0;
        outer:
        while (true) {
            String[] parts = pending.split("/");
            StringBuilder done = new StringBuilder();
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].isEmpty()) {
                    continue;
                }
                String prefix = done.length() == 0 ? parts[i] : done + "/" + parts[i];
                Node n = nodes.get(prefix);
                if (n != null && n.isSymlink()) {
                    if (++hops > MAX_LINK_HOPS) {
                        throw new ScanFailure(FailureReason.LINK_LOOP,
                                "more than " + MAX_LINK_HOPS + " symlinks resolving " + PathNames.abbreviate(path));
                    }
                    StringBuilder rest = new StringBuilder(PathNames.resolveLink(prefix, n.linkTarget()));
                    for (int j = i + 1; j < parts.length; j++) {
                        rest.append('/').append(parts[j]);
                    }
                    pending = rest.toString();
                    continue outer;
                }
                done.setLength(0);
                done.append(prefix);
            }
            return done.toString();
        }
    }
}
