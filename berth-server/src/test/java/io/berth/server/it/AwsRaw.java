package io.berth.server.it;

import io.berth.server.auth.RawSigV4;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Raw HTTP/1.1 on a socket for the AWS plane's tests: requests whose body is sent only in part (or not at all), and
 * several requests on one kept-alive connection, which {@code java.net.http} cannot do.
 */
final class AwsRaw {
    static final String ECR = "AmazonEC2ContainerRegistry_V20150921.";
    static final List<String> ALL_SIGNED = List.of("content-type", "host", "x-amz-date", "x-amz-target");

    private AwsRaw() {}

    /** One parsed response, and how long it took from the end of what was sent. */
    record Response(int status, Map<String, String> headers, String body, long millis) {
        String header(String name) { return headers.get(name.toLowerCase(Locale.ROOT)); }

        @Override
        public String toString() { return status + " " + headers + " " + body + " (" + millis + " ms)"; }
    }

    /** The request head of a {@code POST /} to the ECR API (or STS) with the given headers and a blank line. */
    static String head(Map<String, String> headers) {
        StringBuilder b = new StringBuilder("POST / HTTP/1.1\r\n");
        headers.forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
        return b.append("\r\n").toString();
    }

    /** ECR headers for {@code action} signed now with the root key (every header signed, as the SDKs do). */
    static Map<String, String> signed(int port, String action, byte[] body) {
        return signed(port, action, body, TestServer.ROOT_KEY_ID, "us-east-1", Instant.now(), ALL_SIGNED);
    }

    static Map<String, String> signed(int port, String action, byte[] body, String key, String region, Instant at,
                                      List<String> signedHeaders) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("host", "127.0.0.1:" + port);
        h.put("content-type", "application/x-amz-json-1.1");
        h.put("x-amz-date", RawSigV4.amzDate(at));
        h.put("x-amz-target", ECR + action);
        h.put("authorization", RawSigV4.authorization(h, signedHeaders, body, key, TestServer.ROOT_SECRET, region,
                "ecr"));
        return h;
    }

    /** Unsigned ECR headers, as an anonymous client sends them. */
    static Map<String, String> unsigned(int port, String action) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("host", "127.0.0.1:" + port);
        h.put("content-type", "application/x-amz-json-1.1");
        h.put("x-amz-target", ECR + action);
        return h;
    }

    static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return h;
    }

    /**
     * Sends {@code head} and the first {@code sent} bytes of {@code body}, and reads one response meanwhile, as a
     * client streaming an upload does. A server that refuses from the headers answers and closes while the body is
     * still arriving; the body's write then fails (broken pipe), which is the refusal working, not a test failure.
     * Writing first and reading after lost that answer whenever the close came before the last byte was written.
     */
    static Response exchange(int port, String head, byte[] body, int sent) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            Thread writer = new Thread(() -> {
                try {
                    out.write(body, 0, sent);
                    out.flush();
                } catch (IOException refusedMidBody) {
                    // the answer is read below; had the server closed without one, the read fails the test
                }
            }, "AwsRaw-body");
            writer.start();
            return read(s.getInputStream(), System.nanoTime());
        }
    }

    /** Reads one response (status line, headers, a Content-Length body) from {@code in}. */
    static Response read(InputStream in, long startNanos) throws IOException {
        String statusLine = line(in);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l; !(l = line(in)).isEmpty(); ) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers,
                new String(body, StandardCharsets.UTF_8), (System.nanoTime() - startNanos) / 1_000_000);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("connection closed mid-response after '" + b + "'");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }
}
