package io.berth.server.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/** Reading what the server answers on a raw socket, for tests that must control every byte they send. */
final class RawAnswers {
    private RawAnswers() {}

    /** The status line and headers, or what arrived before {@code timeoutMs}. */
    static String head(Socket s, int timeoutMs) throws IOException {
        return read(s, timeoutMs, true);
    }

    /** Everything until the server closes the connection, or what arrived before {@code timeoutMs}. */
    static String untilClosed(Socket s, int timeoutMs) throws IOException {
        return read(s, timeoutMs, false);
    }

    private static String read(Socket s, int timeoutMs, boolean headOnly) throws IOException {
        s.setSoTimeout(timeoutMs);
        InputStream in = s.getInputStream();
        StringBuilder b = new StringBuilder();
        try {
            for (int c; (c = in.read()) >= 0; ) {
                b.append((char) c);
                if (headOnly && b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) {
                    return b.toString();
                }
            }
        } catch (SocketTimeoutException e) {
            b.append("(").append(headOnly ? "no complete answer" : "connection still open").append(" after ")
                    .append(timeoutMs).append(" ms)");
        }
        return b.toString();
    }
}
