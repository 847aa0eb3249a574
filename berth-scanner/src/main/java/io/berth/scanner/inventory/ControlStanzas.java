package io.berth.scanner.inventory;

import io.berth.scanner.result.FailureReason;
import io.berth.scanner.result.ScanFailure;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The "Field: value" stanza format of dpkg's status files (deb822), of apk's installed database ({@code P:name}) and
 * of Python's METADATA headers: stanzas split by blank lines, continuation lines start with a space or a tab.
 * Strict about structure, since a line that is none of these means the file is not what its path says.
 */
final class ControlStanzas {
    private ControlStanzas() {}

    /** One stanza: its fields in order (first occurrence wins) and the line it started on. */
    record Stanza(int line, Map<String, String> fields) {
        String get(String field) { return fields.get(field); }
    }

    /**
     * Parses deb822 stanzas: a field name is up to the first colon and holds no whitespace.
     * @param onlyFirst stop at the first blank line (METADATA: the body after it is the long description)
     */
    static List<Stanza> parse(byte[] bytes, String what, boolean onlyFirst) throws ScanFailure {
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<Stanza> out = new ArrayList<>();
        Map<String, String> fields = null;
        String last = null;
        int start = 0;
        int lineNo = 0;
        int pos = 0;
        while (pos <= text.length()) {
            int nl = text.indexOf('\n', pos);
            String line = text.substring(pos, nl < 0 ? text.length() : nl);
            pos = nl < 0 ? text.length() + 1 : nl + 1;
            lineNo++;
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isBlank()) {
                if (fields != null) {
                    out.add(new Stanza(start, fields));
                    fields = null;
                    if (onlyFirst) {
                        return out;
                    }
                }
                continue;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (fields == null) {
                    throw malformed(what, lineNo, "a continuation line outside a field");
                }
                String more = line.strip();
                fields.computeIfPresent(last, (k, v) -> v + "\n" + more);
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || hasWhitespace(line, colon)) {
                throw malformed(what, lineNo, "not a \"Field: value\" line");
            }
            if (fields == null) {
                fields = new LinkedHashMap<>();
                start = lineNo;
            }
            last = line.substring(0, colon);
            fields.putIfAbsent(last, line.substring(colon + 1).strip());
        }
        if (fields != null) {
            out.add(new Stanza(start, fields));
        }
        return out;
    }

    private static boolean hasWhitespace(String s, int end) {
        for (int i = 0; i < end; i++) {
            if (Character.isWhitespace(s.charAt(i)) || Character.isISOControl(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    static ScanFailure malformed(String what, int line, String problem) {
        return new ScanFailure(FailureReason.MALFORMED_PACKAGE_DATA, what + " line " + line + ": " + problem);
    }

    /** A version or name must be one token: whitespace or control characters in it mean a broken record. */
    static boolean isToken(String s) {
        if (s == null || s.isEmpty() || s.length() > 256) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }
}
