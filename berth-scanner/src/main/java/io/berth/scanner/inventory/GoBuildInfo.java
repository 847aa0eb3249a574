package io.berth.scanner.inventory;

import io.berth.scanner.layer.StreamAnalyzer;
import io.berth.scanner.model.Ecosystem;
import io.berth.scanner.model.InstalledPackage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The module list the Go toolchain embeds in every binary it links (what {@code go version -m} prints), found while
 * the file streams past. Go's {@code debug/buildinfo} looks in the ELF section {@code .go.buildinfo}; that section
 * starts with a 32-byte header, {@code "\xff Go buildinf:"}, pointer size, flags, and since Go 1.18 (flag 2) the
 * toolchain version and the modinfo text follow inline as varint-prefixed strings. Searching the stream for the
 * header finds the same bytes without random access (the section headers sit at the end of the file). Binaries
 * from Go 1.17 and older store pointers instead, which a stream cannot follow: they yield nothing.
 *
 * <p>The result: one {@code stdlib} package at the toolchain version (OSV's Go database files the standard library's
 * advisories under that name), the main module when it has a version, and every {@code dep} line, with a
 * {@code =>} replacement taking the place of the module it replaces. Versions keep Go's {@code v} prefix, and the
 * toolchain's {@code go1.21.3} becomes {@code v1.21.3} so that every Go version here is one semver form.
 */
final class GoBuildInfo implements StreamAnalyzer {
    private static final byte[] MAGIC = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);
    private static final int MAX_STRING = 4 << 20;

    static boolean mayBeBinary(long size, int mode) {
        return (mode & 0111) != 0 && size >= 1024;
    }

    @Override
    public List<InstalledPackage> analyze(String path, long size, InputStream in) throws IOException {
        byte[] elf = in.readNBytes(4);
        if (elf.length < 4 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F') {
            return List.of();
        }
        byte[] buf = new byte[64 * 1024];
        int matched = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (b == MAGIC[matched]) {
                    matched++;
                } else {
                    matched = b == MAGIC[0] ? 1 : 0;
                }
                if (matched == MAGIC.length) {
                    matched = 0;
                    // the rest of the 32-byte header, then the strings, follow in the stream
                    PrefixedStream rest = new PrefixedStream(buf, i + 1, n, in);
                    List<InstalledPackage> found = readHeader(path, rest);
                    if (found != null) {
                        return found;
                    }
                    // not a header (the magic as a literal in the code of a program that reads build info):
                    // search on, from the next read if the check consumed bytes past this buffer
                    if (rest.fromStream) {
                        break;
                    }
                }
            }
        }
        return List.of();
    }

    private static List<InstalledPackage> readHeader(String path, PrefixedStream in) throws IOException {
        byte[] header = in.readN(32 - MAGIC.length);
        if (header.length < 32 - MAGIC.length) {
            return null;
        }
        int ptrSize = header[0];
        int flags = header[1];
        if ((ptrSize != 4 && ptrSize != 8) || (flags & 2) == 0) {
            return null;
        }
        String goVersion = in.readVarString();
        String modinfo = goVersion == null ? null : in.readVarString();
        // the toolchain writes "go1.x…" and frames a non-empty modinfo with its sentinel: anything else is
        // bytes that happen to follow a copy of the magic, not build info
        if (modinfo == null || !goVersion.startsWith("go")
                || (!modinfo.isEmpty() && (modinfo.length() < 33 || modinfo.charAt(modinfo.length() - 17) != '\n'))) {
            return null;
        }
        return parseModinfo(goVersion, modinfo, path);
    }

    /** Parses the modinfo text ({@code path}, {@code mod}, {@code dep}, {@code =>} and {@code build} lines). */
    static List<InstalledPackage> parseModinfo(String goVersion, String modinfo, String path) {
        // modinfo is framed by 16-byte sentinels so the linker can find it; the text is between them
        if (modinfo.length() >= 33 && modinfo.charAt(modinfo.length() - 17) == '\n') {
            modinfo = modinfo.substring(16, modinfo.length() - 16);
        }
        List<InstalledPackage> out = new ArrayList<>();
        String toolchain = goVersion.startsWith("go") ? goVersion.substring(2) : goVersion;
        int space = toolchain.indexOf(' ');
        toolchain = space < 0 ? toolchain : toolchain.substring(0, space);   // "go1.22.1 X:boringcrypto"
        if (ControlStanzas.isToken(toolchain) && !toolchain.isEmpty() && Character.isDigit(toolchain.charAt(0))) {
            out.add(new InstalledPackage(Ecosystem.GO, "stdlib", "v" + toolchain, null, path));
        }
        Map<String, String[]> deps = new LinkedHashMap<>();
        String lastDep = null;
        for (String line : modinfo.split("\n")) {
            String[] f = line.split("\t");
            if (f.length >= 3 && (f[0].equals("mod") || f[0].equals("dep"))) {
                lastDep = f[1];
                deps.put(f[1], new String[] {f[1], f[2]});
            } else if (f.length >= 3 && f[0].equals("=>") && lastDep != null) {
                deps.put(lastDep, new String[] {f[1], f[2]});
            }
        }
        for (String[] d : deps.values()) {
            if (ControlStanzas.isToken(d[0]) && ControlStanzas.isToken(d[1]) && !d[1].equals("(devel)")) {
                out.add(new InstalledPackage(Ecosystem.GO, d[0], d[1], null, path));
            }
        }
        return out;
    }

    /** The bytes after the magic: what is left of the current buffer, then the stream. */
    private static final class PrefixedStream {
        private final byte[] buf;
        private int pos;
        private final int end;
        private final InputStream in;

        PrefixedStream(byte[] buf, int pos, int end, InputStream in) {
            this.buf = buf;
            this.pos = pos;
            this.end = end;
            this.in = in;
        }

        /** Whether bytes past the buffer were read from the stream. */
        boolean fromStream;

        int read() throws IOException {
            if (pos < end) {
                return buf[pos++] & 0xff;
            }
            fromStream = true;
            return in.read();
        }

        byte[] readN(int n) throws IOException {
            byte[] out = new byte[n];
            int i = 0;
            while (i < n && pos < end) {
                out[i++] = buf[pos++];
            }
            if (i < n) {
                fromStream = true;
            }
            byte[] restBytes = in.readNBytes(n - i);
            System.arraycopy(restBytes, 0, out, i, restBytes.length);
            return i + restBytes.length == n ? out : java.util.Arrays.copyOf(out, i + restBytes.length);
        }

        /** A varint-prefixed string, or null when the bytes cannot be one (too long, cut short). */
        String readVarString() throws IOException {
            long len = 0;
            for (int shift = 0; ; shift += 7) {
                int b = read();
                if (b < 0 || shift > 28) {
                    return null;
                }
                len |= (long) (b & 0x7f) << shift;
                if (b < 0x80) {
                    break;
                }
            }
            if (len > MAX_STRING) {
                return null;
            }
            byte[] bytes = readN((int) len);
            return bytes.length == len ? new String(bytes, StandardCharsets.UTF_8) : null;
        }
    }
}
