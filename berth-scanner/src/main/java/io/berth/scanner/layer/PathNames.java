package io.berth.scanner.layer;

import io.berth.scanner.result.FailureReason;
import io.berth.scanner.result.ScanFailure;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Tar entry names as root-relative paths without a leading or trailing slash ({@code ./etc/os-release},
 * {@code /etc/os-release} and {@code etc//os-release} are all {@code etc/os-release}); the root is {@code ""}.
 * An entry name with a {@code ..} component is refused: layers made from a real filesystem never have one, and
 * it is how tar-slip attacks escape the root when a layer is unpacked.
 */
final class PathNames {
    private PathNames() {}

    static String entryPath(String name, WalkLimits limits) throws ScanFailure {
        if (name.length() > limits.maxPathLength()) {
            throw new ScanFailure(FailureReason.LIMIT_EXCEEDED, "entry path is " + name.length()
                    + " characters long, more than " + limits.maxPathLength() + ": " + abbreviate(name));
        }
        StringBuilder out = new StringBuilder(name.length());
        int depth = 0;
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new ScanFailure(FailureReason.UNSAFE_PATH, "entry path climbs out of the root: " + abbreviate(name));
            }
            if (part.indexOf('\0') >= 0) {
                throw new ScanFailure(FailureReason.UNSAFE_PATH, "entry path holds a NUL: " + abbreviate(name));
            }
            if (++depth > limits.maxPathDepth()) {
                throw new ScanFailure(FailureReason.LIMIT_EXCEEDED, "entry path is deeper than "
                        + limits.maxPathDepth() + " directories: " + abbreviate(name));
            }
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(part);
        }
        return out.toString();
    }

    /**
     * Resolves a symlink target against the directory of the link, inside the image root: an absolute target is
     * relative to the image's root and {@code ..} stops at it, as for a process chrooted in the container. So no
     * link can reach a file of the host, whatever it says.
     */
    static String resolveLink(String linkPath, String target) {
        Deque<String> parts = new ArrayDeque<>();
        if (!target.startsWith("/")) {
            int slash = linkPath.lastIndexOf('/');
            if (slash > 0) {
                for (String p : linkPath.substring(0, slash).split("/")) {
                    parts.addLast(p);
                }
            }
        }
        for (String p : target.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(p);
            }
        }
        return String.join("/", parts);
    }

    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}
