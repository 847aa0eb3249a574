package io.berth.scanner.layer;

import io.berth.core.model.Digest;
import io.berth.scanner.model.InstalledPackage;
import io.berth.scanner.result.FailureReason;
import io.berth.scanner.result.ScanFailure;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads an image's layers in order into the final filesystem a container would see (OCI image spec, "Applying
 * changesets"), keeping only what the {@link Selector} asks for. Each layer is streamed once: the stored bytes are
 * hashed as they pass (a layer whose digest lies fails the scan), decompressed, and read as tar. Whiteouts remove
 * lower layers' files: {@code .wh.<name>} the named file or directory, {@code .wh..wh..opq} everything a directory
 * held below. Nothing is written to disk; hostile layers meet the bounds in {@link WalkLimits}.
 */
public final class LayerWalker {
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";

    private final Selector selector;
    private final WalkLimits limits;

    public LayerWalker(Selector selector, WalkLimits limits) {
        this.selector = selector;
        this.limits = limits;
    }

    /**
     * Walks every layer, bottom first.
     * @throws ScanFailure with the layer's position and digest in its message
     */
    public ImageFiles walk(List<Layer> layers) throws ScanFailure {
        State state = new State();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            String where = "layer " + (i + 1) + " of " + layers.size() + " (" + layer.digest() + ")";
            try {
                walkLayer(i, layer, state);
            } catch (ScanFailure e) {
                throw e.within(where);
            } catch (LayerStreams.FailureIOException e) {
                throw e.failure.within(where);
            } catch (IOException | RuntimeException e) {
                // commons-compress reports some malformed headers as IllegalArgumentException; hostile input must
                // end in a typed failure, whatever the reader throws
                throw new ScanFailure(FailureReason.CORRUPT_LAYER, where + " is not a readable tar layer: "
                        + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
            }
        }
        return new ImageFiles(state.nodes);
    }

    /** What carries from one layer to the next. */
    private static final class State {
        final NavigableMap<String, ImageFiles.Node> nodes = new TreeMap<>();
        final long[] uncompressed = {0};
        long entries;
        long kept;
    }

    private void walkLayer(int index, Layer layer, State state) throws IOException, ScanFailure {
        InputStream raw;
        try {
            raw = layer.source().open();
        } catch (IOException | RuntimeException e) {
            throw new ScanFailure(FailureReason.BLOB_UNAVAILABLE, "cannot be read: " + e.getMessage(), e);
        }
        MessageDigest md = layer.digest().algorithm().newMessageDigest();
        try (LayerStreams.Hashing hashing = new LayerStreams.Hashing(raw, md)) {
            InputStream plain = new LayerStreams.Budgeted(LayerStreams.decompress(hashing), state.uncompressed,
                    limits.maxUncompressedBytes());
            TarArchiveInputStream tar = new TarArchiveInputStream(plain);
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (++state.entries > limits.maxEntries()) {
                    throw new ScanFailure(FailureReason.LIMIT_EXCEEDED, "more than " + limits.maxEntries()
                            + " tar entries");
                }
                apply(index, entry, tar, state);
            }
            LayerStreams.drain(plain);
            LayerStreams.drain(hashing);
            Digest actual = Digest.of(layer.digest().algorithm(), md.digest());
            if (!actual.equals(layer.digest())) {
                throw new ScanFailure(FailureReason.DIGEST_MISMATCH, "its bytes hash to " + actual);
            }
            if (layer.size() >= 0 && hashing.count != layer.size()) {
                throw new ScanFailure(FailureReason.DIGEST_MISMATCH, "it is " + hashing.count
                        + " bytes, the manifest says " + layer.size());
            }
        }
    }

    private void apply(int layer, TarArchiveEntry entry, TarArchiveInputStream tar, State state)
            throws IOException, ScanFailure {
        String path = PathNames.entryPath(entry.getName(), limits);
        if (path.isEmpty()) {
            return;
        }
        refuseWriteThroughSymlink(path, state.nodes);
        String name = PathNames.fileName(path);
        String parent = PathNames.parent(path);
        if (name.equals(OPAQUE)) {
            removeLower(state.nodes, parent, layer, false);
            return;
        }
        if (name.startsWith(WHITEOUT)) {
            String hidden = name.substring(WHITEOUT.length());
            removeLower(state.nodes, parent.isEmpty() ? hidden : parent + "/" + hidden, layer, true);
            return;
        }
        if (entry.isDirectory()) {
            // a directory replaces a lower layer's file of that name, but merges with a lower directory
            ImageFiles.Node old = state.nodes.get(path);
            if (old != null && old.layer() < layer) {
                state.nodes.remove(path);
            }
            return;
        }
        // a file or link replaces whatever the lower layers had at its path, directory contents included
        removeLower(state.nodes, path, layer, true);
        if (entry.isSymbolicLink()) {
            String target = entry.getLinkName();
            if (target.length() > limits.maxPathLength()) {
                throw new ScanFailure(FailureReason.LIMIT_EXCEEDED, "symlink target of " + PathNames.abbreviate(path)
                        + " is longer than " + limits.maxPathLength());
            }
            keep(state, 2L * (path.length() + target.length()));   // every symlink is held, so each counts
            state.nodes.put(path, new ImageFiles.Node(layer, null, null, target));
        } else if (entry.isLink()) {
            hardLink(layer, path, entry.getLinkName(), state);
        } else if (entry.isFile()) {
            regularFile(layer, path, entry, tar, state);
        } else {
            state.nodes.remove(path);   // devices and FIFOs hold no packages
        }
    }

    private void hardLink(int layer, String path, String linkName, State state) throws ScanFailure {
        String target = PathNames.entryPath(linkName, limits);
        if (target.equals(path)) {
            throw new ScanFailure(FailureReason.LINK_LOOP, "hard link to itself: " + PathNames.abbreviate(path));
        }
        // a hard link names an entry already read (in this layer or a lower one); only files we kept or analyzed
        // are known, and a link to anything else holds nothing a finder wants
        ImageFiles.Node t = state.nodes.get(target);
        if (t != null && !t.isSymlink()) {
            state.nodes.put(path, t.inLayer(layer));
        }
    }

    private void regularFile(int layer, String path, TarArchiveEntry entry, TarArchiveInputStream tar, State state)
            throws IOException, ScanFailure {
        long size = Math.max(entry.getSize(), entry.getRealSize());
        if (size > limits.maxEntryBytes() || size < 0) {
            throw new ScanFailure(FailureReason.LIMIT_EXCEEDED, PathNames.abbreviate(path) + " declares " + size
                    + " bytes, more than the limit of " + limits.maxEntryBytes());
        }
        Selector.Action action = selector.select(path, size, entry.getMode());
        if (action instanceof Selector.Keep keep) {
            if (size > keep.cap()) {
                throw new ScanFailure(FailureReason.LIMIT_EXCEEDED, PathNames.abbreviate(path) + " is " + size
                        + " bytes, more than the " + keep.cap() + " its finder reads");
            }
            keep(state, size);
            byte[] bytes = tar.readNBytes((int) size);
            if (bytes.length != size) {
                throw new ScanFailure(FailureReason.CORRUPT_LAYER, PathNames.abbreviate(path) + " is truncated");
            }
            state.nodes.put(path, new ImageFiles.Node(layer, bytes, null, null));
        } else if (action instanceof Selector.Analyze analyze) {
            List<InstalledPackage> found = analyze.analyzer().analyze(path, size, LayerStreams.unclosable(tar));
            if (found.isEmpty()) {
                state.nodes.remove(path);   // most analyzed files (every executable) hold nothing: keep no node
            } else {
                long held = 0;
                for (InstalledPackage p : found) {
                    held += 64 + 2L * (p.name().length() + p.version().length() + p.path().length());
                }
                keep(state, held);
                state.nodes.put(path, new ImageFiles.Node(layer, null, List.copyOf(found), null));
            }
        } else {
            state.nodes.remove(path);
        }
    }

    /** Counts what the walker holds in memory (kept files, symlinks, found packages) against its budget. */
    private void keep(State state, long bytes) throws ScanFailure {
        state.kept += bytes;
        if (state.kept > limits.maxKeptBytes()) {
            throw new ScanFailure(FailureReason.LIMIT_EXCEEDED, "the files, links and packages kept for the finders "
                    + "add up to more than " + limits.maxKeptBytes() + " bytes");
        }
    }

    /** Removes {@code path} (when {@code self}) and everything below it that lower layers put there. */
    private static void removeLower(NavigableMap<String, ImageFiles.Node> nodes, String path, int layer, boolean self) {
        if (self) {
            ImageFiles.Node n = nodes.get(path);
            if (n != null && n.layer() < layer) {
                nodes.remove(path);
            }
        }
        // '0' sorts right after '/', so this range is exactly the paths below path/ ("" is the root: everything)
        Map<String, ImageFiles.Node> below = path.isEmpty() ? nodes : nodes.subMap(path + "/", true, path + "0", false);
        for (Iterator<ImageFiles.Node> it = below.values().iterator(); it.hasNext(); ) {
            if (it.next().layer() < layer) {
                it.remove();
            }
        }
    }

    /**
     * A layer made from a filesystem never has an entry below a symlink (the file is recorded at its real path);
     * unpacking one would write through the link, which is how tar-slip reaches outside the root.
     */
    private static void refuseWriteThroughSymlink(String path, NavigableMap<String, ImageFiles.Node> nodes)
            throws ScanFailure {
        int slash = -1;
        while ((slash = path.indexOf('/', slash + 1)) > 0) {
            ImageFiles.Node n = nodes.get(path.substring(0, slash));
            if (n != null && n.isSymlink()) {
                throw new ScanFailure(FailureReason.UNSAFE_PATH, "entry " + PathNames.abbreviate(path)
                        + " is written through the symlink " + path.substring(0, slash));
            }
        }
    }

}
