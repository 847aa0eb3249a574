package io.berth.scanner.layer;

import com.github.luben.zstd.ZstdOutputStream;
import io.berth.core.model.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds real tar layers in memory for the tests: files, directories, links and whiteouts, then compresses them. */
public final class Tars {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    public Tars() {
        tar = new TarArchiveOutputStream(bytes);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    public Tars file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    public Tars file(String name, byte[] content, int mode) {
        try {
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(content.length);
            e.setMode(mode);
            tar.putArchiveEntry(e);
            tar.write(content);
            tar.closeArchiveEntry();
            return this;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public Tars dir(String name) {
        return entry(new TarArchiveEntry(name.endsWith("/") ? name : name + "/"));
    }

    public Tars symlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        e.setLinkName(target);
        return entry(e);
    }

    public Tars hardlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
        e.setLinkName(target);
        return entry(e);
    }

    public Tars whiteout(String path) {
        int slash = path.lastIndexOf('/');
        return file(path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1), "");
    }

    public Tars opaque(String dir) {
        return file(dir + "/.wh..wh..opq", "");
    }

    private Tars entry(TarArchiveEntry e) {
        try {
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            return this;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public byte[] tar() {
        try {
            tar.finish();
            return bytes.toByteArray();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public static byte[] gzip(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] zstd(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = new ZstdOutputStream(out)) {
            z.write(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A layer of these bytes with their true digest and size. */
    public static Layer layer(byte[] stored) {
        return layer(stored, Digest.sha256Of(stored));
    }

    public static Layer layer(byte[] stored, Digest claimed) {
        return new Layer("application/vnd.oci.image.layer.v1.tar+gzip", claimed, stored.length,
                () -> new java.io.ByteArrayInputStream(stored));
    }

    public static List<Layer> layers(byte[]... stored) {
        List<Layer> out = new ArrayList<>();
        for (byte[] s : stored) {
            out.add(layer(s));
        }
        return out;
    }
}
