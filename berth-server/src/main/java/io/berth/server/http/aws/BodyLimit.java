package io.berth.server.http.aws;

/**
 * How large one operation's request body may be, and how much heap a body of a given size costs while the request
 * runs (the body itself plus what parsing makes of it, such as a decoded layer part), which is what it reserves from
 * the {@link BodyBudget}.
 *
 * @param maxBytes the largest body accepted; larger is RequestEntityTooLargeException
 * @param decodedFactor heap for what the body decodes to, per body byte, on top of the body (0 for none)
 * @param maxDecoded a ceiling on that decoded heap (the operation's own limit on what the body carries)
 */
public record BodyLimit(long maxBytes, double decodedFactor, long maxDecoded) {
    /** A body of at most {@code maxBytes} parsed into small objects: the body and a copy of it. */
    public static BodyLimit of(long maxBytes) {
        return new BodyLimit(maxBytes, 1.0, maxBytes);
    }

    /** Heap to reserve for a body of {@code bodyBytes}. */
    public long heapFor(long bodyBytes) {
        return bodyBytes + Math.min(maxDecoded, (long) Math.ceil(bodyBytes * decodedFactor));
    }

    /** Heap of the largest body. */
    public long largestHeap() {
        return heapFor(maxBytes);
    }
}
