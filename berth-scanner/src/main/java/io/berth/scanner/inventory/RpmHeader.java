package io.berth.scanner.inventory;

import io.berth.scanner.result.FailureReason;
import io.berth.scanner.result.ScanFailure;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One package's header blob as rpm stores it in its database (rpm's {@code headerImport} format, without the lead
 * magic): a big-endian count of index entries and of data bytes, the index entries (tag, type, offset, count; 16
 * bytes each) and the data. Only the tags a scanner needs are read, each bounds-checked against the blob.
 */
record RpmHeader(String name, String version, String release, Integer epoch, String sourceRpm) {
    static final int NAME = 1000;
    static final int VERSION = 1001;
    static final int RELEASE = 1002;
    static final int EPOCH = 1003;
    static final int SOURCERPM = 1044;
    static final int TYPE_INT32 = 4;
    static final int TYPE_STRING = 6;
    /** rpm's own bounds (header.c: hdrchkTags, hdrchkData). */
    private static final int MAX_TAGS = 0xffff;
    private static final int MAX_DATA = 256 << 20;

    static RpmHeader parse(byte[] blob) throws ScanFailure {
        if (blob.length < 8) {
            throw bad("shorter than its 8-byte preamble");
        }
        ByteBuffer b = ByteBuffer.wrap(blob);
        int il = b.getInt();
        int dl = b.getInt();
        if (il < 1 || il > MAX_TAGS || dl < 0 || dl > MAX_DATA || 8L + 16L * il + dl > blob.length) {
            throw bad("declares " + il + " tags and " + dl + " data bytes in " + blob.length + " bytes");
        }
        int dataStart = 8 + 16 * il;
        String name = null;
        String version = null;
        String release = null;
        String sourceRpm = null;
        Integer epoch = null;
        for (int i = 0; i < il; i++) {
            int tag = b.getInt(8 + 16 * i);
            int type = b.getInt(12 + 16 * i);
            int offset = b.getInt(16 + 16 * i);
            int count = b.getInt(20 + 16 * i);
            if (tag == NAME || tag == VERSION || tag == RELEASE || tag == SOURCERPM) {
                if (type != TYPE_STRING) {
                    throw bad("tag " + tag + " is of type " + type + ", not a string");
                }
                String s = string(blob, dataStart, dl, offset);
                switch (tag) {
                    case NAME -> name = s;
                    case VERSION -> version = s;
                    case RELEASE -> release = s;
                    default -> sourceRpm = s;
                }
            } else if (tag == EPOCH) {
                if (type != TYPE_INT32 || count < 1 || offset < 0 || offset > dl - 4 || offset % 4 != 0) {
                    throw bad("EPOCH is not an aligned int32 inside the data");
                }
                epoch = b.getInt(dataStart + offset);
            }
        }
        if (name == null || version == null || release == null) {
            throw bad("lacks NAME, VERSION or RELEASE");
        }
        return new RpmHeader(name, version, release, epoch, sourceRpm);
    }

    private static String string(byte[] blob, int dataStart, int dl, int offset) throws ScanFailure {
        if (offset < 0 || offset >= dl) {
            throw bad("a string offset points outside the data");
        }
        int from = dataStart + offset;
        int end = from;
        int limit = dataStart + dl;
        while (end < limit && blob[end] != 0) {
            end++;
        }
        if (end == limit) {
            throw bad("a string runs past the data");
        }
        return new String(blob, from, end - from, StandardCharsets.UTF_8);
    }

    /** The source package's name: {@code openssl-1.1.1k-7.el8.src.rpm} is {@code openssl}. */
    String sourceName() {
        if (sourceRpm == null) {
            return null;
        }
        String s = sourceRpm;
        for (String suffix : new String[] {".src.rpm", ".nosrc.rpm"}) {
            if (s.endsWith(suffix)) {
                s = s.substring(0, s.length() - suffix.length());
            }
        }
        int release = s.lastIndexOf('-');
        int version = release <= 0 ? -1 : s.lastIndexOf('-', release - 1);
        return version <= 0 ? null : s.substring(0, version);
    }

    /** rpm's EVR as the matcher compares it: {@code epoch:version-release}, the epoch only when the header has one. */
    String evr() {
        return (epoch == null ? "" : epoch + ":") + version + "-" + release;
    }

    private static ScanFailure bad(String problem) {
        return new ScanFailure(FailureReason.MALFORMED_PACKAGE_DATA, "rpm header " + problem);
    }
}
