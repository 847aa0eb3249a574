package io.berth.server.cli;

/**
 * Makes recorded text safe to print on an operator's terminal. Audit fields hold what callers sent (repository
 * names, user agents, error messages quoting input), and a forged {@code ESC[2J} or CR/LF would clear the screen or
 * forge table lines. Control characters (C0, DEL, C1), format characters (bidirectional overrides, zero-width
 * characters) and line/paragraph separators become visible escapes; the backslash is doubled so an escape in the
 * output always means one was made.
 */
final class TerminalText {
    private TerminalText() {}

    /** For a table cell: {@code \x1b} style escapes for characters below U+0100, {@code \u202e} style above. */
    static String cell(String s) {
        if (s == null || isPlain(s, true)) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                b.append("\\\\");
            } else if (unsafe(c)) {
                b.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * For a line of JSON: such characters can only occur inside its strings (the structure is ASCII), where
     * {@code \}{@code uXXXX} means the same character, so the line stays the same JSON document.
     */
    static String json(String line) {
        if (isPlain(line, false)) {
            return line;
        }
        StringBuilder b = new StringBuilder(line.length() + 16);
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            b.append(unsafe(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }

    private static boolean isPlain(String s, boolean backslashToo) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (unsafe(c) || (backslashToo && c == '\\')) {
                return false;
            }
        }
        return true;
    }

    private static boolean unsafe(char c) {
        if (c >= 0x20 && c < 0x7f) {
            return false; // printable ASCII: the common case, decided without a table lookup
        }
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
