package io.berth.server.http.aws;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Request;

/**
 * A request body read within its operation's {@link BodyLimit} and the plane's {@link BodyBudget}, hashed (SHA-256,
 * for the signature) while it streams in. A declared {@code Content-Length} over the limit, or a budget that cannot
 * cover it, is refused before a byte is read; a chunked body reserves as it grows and is refused as soon as it
 * passes either. Closing releases the reservation; close it once the request is done with the bytes.
 */
public final class ApiBody implements AutoCloseable {
    /** How much a chunked body grows at first; it then doubles. */
    private static final int STEP = 64 * 1024;

    private final BodyLimit limit;
    private final BodyBudget budget;
    private final MessageDigest sha = sha256();
    private long reserved;
    private byte[] bytes;
    private String sha256Hex;

    private ApiBody(BodyLimit limit, BodyBudget budget) {
        this.limit = limit;
        this.budget = budget;
    }

    public byte[] bytes() { return bytes; }

    /** Lower-case hex SHA-256 of {@link #bytes}. */
    public String sha256Hex() { return sha256Hex; }

    /** Heap held for this body in the budget. */
    public long reserved() { return reserved; }

    @Override
    public void close() {
        budget.release(reserved);
        reserved = 0;
    }

    /**
     * Reads the body. Throws RequestEntityTooLargeException (413) over the limit, ThrottlingException when the
     * budget is spent, SerializationException when the body ends before its declared length; nothing stays
     * reserved then.
     */
    public static ApiBody read(Request request, BodyLimit limit, BodyBudget budget) throws IOException {
        long declared = request.getLength();
        if (declared > limit.maxBytes()) {
            throw tooLarge(limit);
        }
        ApiBody body = new ApiBody(limit, budget);
        try (InputStream in = Content.Source.asInputStream(request)) {
            body.bytes = declared >= 0 ? body.readDeclared(in, (int) declared) : body.readChunked(in);
        } catch (EofException e) {
            body.close();
            throw new RegistryException(ErrorCode.SERIALIZATION, "request body incomplete");
        } catch (IOException | RuntimeException | Error e) {
            body.close();
            throw e;
        }
        body.sha256Hex = HexFormat.of().formatHex(body.sha.digest());
        return body;
    }

    private byte[] readDeclared(InputStream in, int length) throws IOException {
        reserveFor(length);
        byte[] buf = new byte[length];
        int size = 0;
        while (size < length) {
            int n = in.read(buf, size, length - size);
            if (n < 0) {
                throw new EofException("body ended after " + size + " of " + length + " bytes");
            }
            sha.update(buf, size, n);
            size += n;
        }
        return buf;
    }

    private byte[] readChunked(InputStream in) throws IOException {
        byte[] buf = new byte[0];
        int size = 0;
        while (true) {
            if (size == buf.length) {
                if (size >= limit.maxBytes()) {
                    if (in.read() < 0) {
                        return buf;
                    }
                    throw tooLarge(limit); // stop reading as soon as the body passes the limit
                }
                int grown = (int) Math.min(limit.maxBytes(), Math.max(STEP, (long) buf.length * 2));
                reserveFor(grown);
                buf = Arrays.copyOf(buf, grown);
            }
            int n = in.read(buf, size, buf.length - size);
            if (n < 0) {
                return size == buf.length ? buf : Arrays.copyOf(buf, size);
            }
            sha.update(buf, size, n);
            size += n;
        }
    }

    /** Grows the reservation to what a body of {@code bodyBytes} costs; ThrottlingException if it cannot. */
    private void reserveFor(long bodyBytes) {
        long more = limit.heapFor(bodyBytes) - reserved;
        if (more > 0) {
            if (!budget.tryReserve(more)) {
                throw new RegistryException(ErrorCode.TOO_MANY_REQUESTS, "Rate exceeded: too many request bytes "
                        + "in flight; retry later");
            }
            reserved += more;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable in this JDK", e);
        }
    }

    private static RegistryException tooLarge(BodyLimit limit) {
        return new RegistryException(ErrorCode.REQUEST_TOO_LARGE, "Request body exceeds the limit of "
                + limit.maxBytes() + " bytes for this operation");
    }
}
