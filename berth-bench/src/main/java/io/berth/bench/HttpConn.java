package io.berth.bench;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal blocking HTTP/1.1 keep-alive client over one socket. It exists so that the load generator costs as little
 * CPU as possible (client and server share two cores): requests are written straight to the socket, bodies are
 * streamed from byte arrays and response bodies can be discarded while being counted. Not thread-safe: one per thread.
 */
final class HttpConn implements AutoCloseable {

    /** A parsed response. {@code body} holds at most {@code keepLimit} bytes; {@code bodyLength} counts them all. */
    record Response(int status, Map<String, String> headers, byte[] body, long bodyLength) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private boolean reused;
    private final byte[] discard = new byte[1 << 20];
    /** Our own unsynchronized read buffer (BufferedInputStream locks on every read() call). */
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int lim;

    /** {@code Authorization} header value sent on every request, or null. */
    private final String authorization;
    private final String virtualHost;

    HttpConn(String host, int port) {
        this(host, port, null);
    }

    HttpConn(String host, int port, String authorization) {
        this(host, port, authorization, null);
    }

    /** Connects to {@code host} but names {@code virtualHost} in the Host header (a region picked by host name). */
    HttpConn(String host, int port, String authorization, String virtualHost) {
        this.host = host;
        this.port = port;
        this.authorization = authorization;
        this.virtualHost = virtualHost;
    }

    String hostHeader() {
        return (virtualHost == null ? host : virtualHost) + ":" + port;
    }

    private void ensureOpen() throws IOException {
        if (socket != null) {
            reused = true;
            return;
        }
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(host, port), 5_000);
        s.setSoTimeout(120_000);
        socket = s;
        in = s.getInputStream();
        pos = 0;
        lim = 0;
        out = s.getOutputStream();
        reused = false;
    }

    /** Sends a request without a body (GET, HEAD, DELETE, POST with no body). */
    Response send(String method, String path, Map<String, String> headers) throws IOException {
        return send(method, path, headers, null, 0, 0, 64 * 1024);
    }

    Response send(String method, String path, Map<String, String> headers, byte[] body) throws IOException {
        return send(method, path, headers, body, 0, body == null ? 0 : body.length, 64 * 1024);
    }

    /**
     * Sends a request whose body is {@code body[off, off+len)} (streamed in 1 MiB writes) and reads the response,
     * keeping at most {@code keepLimit} bytes of its body. Retries once on a fresh connection if a reused keep-alive
     * connection turns out to be closed before any response byte arrived.
     */
    Response send(String method, String path, Map<String, String> headers, byte[] body, int off, int len,
                  int keepLimit) throws IOException {
        ensureOpen();
        boolean wasReused = reused;
        byte[] head = requestHead(method, path, headers, body == null && !method.equals("PUT")
                && !method.equals("POST") && !method.equals("PATCH") ? -1 : len);
        try {
            out.write(head);
            writeBody(body, off, len);
            out.flush();
            return readResponse(method.equals("HEAD"), keepLimit);
        } catch (NoResponseException e) {
            close();
            if (!wasReused) {
                throw new IOException("connection closed without a response", e);
            }
            ensureOpen();
            out.write(head);
            writeBody(body, off, len);
            out.flush();
            return readResponse(method.equals("HEAD"), keepLimit);
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private void writeBody(byte[] body, int off, int len) throws IOException {
        if (body == null) {
            return;
        }
        int end = off + len;
        for (int p = off; p < end; p += 1 << 20) {
            out.write(body, p, Math.min(1 << 20, end - p));
        }
    }

    byte[] requestHead(String method, String path, Map<String, String> headers, long contentLength) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(hostHeader()).append("\r\n");
        sb.append("User-Agent: berth-bench\r\n");
        if (authorization != null) {
            sb.append("Authorization: ").append(authorization).append("\r\n");
        }
        if (headers != null) {
            headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        }
        if (contentLength >= 0) {
            sb.append("Content-Length: ").append(contentLength).append("\r\n");
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Writes pre-built request bytes (used by the load generator) and reads the response, discarding its body. */
    int sendRaw(byte[] request) throws IOException {
        ensureOpen();
        out.write(request);
        out.flush();
        return readResponse(false, 0).status();
    }

    private static final class NoResponseException extends IOException {
        NoResponseException(String msg) {
            super(msg);
        }
    }

    private Response readResponse(boolean headRequest, int keepLimit) throws IOException {
        String statusLine = readLine(true);
        if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.")) {
            throw new IOException("bad status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(false); !line.isEmpty(); line = readLine(false)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        long total = 0;
        boolean closeAfter = "close".equalsIgnoreCase(headers.get("connection"));
        if (headRequest || status / 100 == 1 || status == 204 || status == 304) {
            // no body
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            while (true) {
                String sizeLine = readLine(false);
                int semi = sizeLine.indexOf(';');
                long size = Long.parseLong((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
                if (size == 0) {
                    while (!readLine(false).isEmpty()) {
                        // trailers
                    }
                    break;
                }
                total += readBody(size, kept, keepLimit, total);
                readLine(false);
            }
        } else if (headers.containsKey("content-length")) {
            long len = Long.parseLong(headers.get("content-length"));
            total = readBody(len, kept, keepLimit, 0);
        } else {
            total = readBody(Long.MAX_VALUE, kept, keepLimit, 0);
            closeAfter = true;
        }
        if (closeAfter) {
            close();
        }
        return new Response(status, headers, kept.toByteArray(), total);
    }

    private long readBody(long len, ByteArrayOutputStream kept, int keepLimit, long alreadyKept) throws IOException {
        long done = 0;
        while (done < len) {
            byte[] src;
            int from = 0;
            int n;
            if (pos < lim) {
                src = buf;
                from = pos;
                n = (int) Math.min(lim - pos, len - done);
                pos += n;
            } else {
                src = discard;
                n = in.read(discard, 0, (int) Math.min(discard.length, len - done));
            }
            if (n < 0) {
                if (len == Long.MAX_VALUE) {
                    return done;
                }
                throw new EOFException("body truncated after " + done + " of " + len + " bytes");
            }
            long room = keepLimit - alreadyKept - done;
            if (room > 0) {
                kept.write(src, from, (int) Math.min(room, n));
            }
            done += n;
        }
        return done;
    }

    private final StringBuilder lineBuf = new StringBuilder(128);

    private String readLine(boolean first) throws IOException {
        lineBuf.setLength(0);
        while (true) {
            if (pos == lim) {
                int n = in.read(buf, 0, buf.length);
                pos = 0;
                lim = Math.max(n, 0);
            }
            int c = pos < lim ? buf[pos++] & 0xff : -1;
            if (c < 0) {
                if (first && lineBuf.length() == 0) {
                    throw new NoResponseException("connection closed by server");
                }
                throw new EOFException("unexpected end of response");
            }
            if (c == '\n') {
                int l = lineBuf.length();
                if (l > 0 && lineBuf.charAt(l - 1) == '\r') {
                    lineBuf.setLength(l - 1);
                }
                return lineBuf.toString();
            }
            lineBuf.append((char) c);
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
            in = null;
            out = null;
        }
    }

    /** Turns a Location header (absolute or relative) into a request path on this host. */
    static String pathOf(String location) {
        if (location == null) {
            throw new IllegalStateException("response has no Location header");
        }
        if (location.startsWith("http://") || location.startsWith("https://")) {
            int slash = location.indexOf('/', location.indexOf("//") + 2);
            return slash < 0 ? "/" : location.substring(slash);
        }
        return location;
    }

    /** Appends a query parameter to a path that may already have a query. */
    static String withParam(String path, String name, String value) {
        return path + (path.indexOf('?') >= 0 ? '&' : '?') + name + '=' + value;
    }
}
