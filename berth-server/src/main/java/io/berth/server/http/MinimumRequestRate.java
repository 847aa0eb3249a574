package io.berth.server.http;

import java.time.Duration;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Cuts off a request whose body arrives slower than a minimum average rate, so a client trickling a byte every few
 * seconds cannot hold a request thread for as long as it likes.
 *
 * <p>Why not Jetty's own: {@code HttpConfiguration.setMinRequestDataRate} still exists in Jetty 12.1 but nothing
 * reads it (a leftover of Jetty 9/10), and {@code MinimumDataRateHandler} averages from the first demand with no
 * grace, so one late first packet of a real upload (a slow start, a long round trip) already counts as too slow.
 * Here the rate is checked only once {@code grace} has passed since the body was first asked for, as an average
 * over the whole body so far. The check runs whenever the handler asks for more and none is there; a client that
 * sends nothing at all is left to the connector's idle timeout.
 *
 * <p>Works the same for HTTP/1.1 and HTTP/2 (it wraps the request, not the connection). The failure is an
 * {@link EofException}, which both planes already answer as the client's fault (400), never a 500; the unread rest
 * of the body then makes Jetty close the connection (HTTP/1.1) or reset the stream (HTTP/2).
 */
public final class MinimumRequestRate extends Handler.Wrapper {
    /** What a read returns once a body was too slow. */
    public static final class TooSlowException extends EofException {
        private static final long serialVersionUID = 1L;

        TooSlowException(String message) { super(message); }
    }

    private final long bytesPerSecond;
    private final long graceNanos;

    /** @param bytesPerSecond 0 disables the check */
    public MinimumRequestRate(Handler next, long bytesPerSecond, Duration grace) {
        super(next);
        this.bytesPerSecond = bytesPerSecond;
        this.graceNanos = grace.toNanos();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (bytesPerSecond <= 0) {
            return super.handle(request, response, callback);
        }
        return super.handle(new Metered(request), response, callback);
    }

    private final class Metered extends Request.Wrapper {
        private long firstDemand; // System.nanoTime() of the first read; 0 until then
        private long bytes;
        private Content.Chunk tooSlow;

        Metered(Request request) { super(request); }

        @Override
        public Content.Chunk read() {
            if (tooSlow != null) {
                return tooSlow;
            }
            if (firstDemand == 0) {
                firstDemand = System.nanoTime() | 1; // never 0
            }
            Content.Chunk c = super.read();
            if (c != null) {
                bytes += c.remaining();
            }
            return c;
        }

        @Override
        public void demand(Runnable more) {
            if (tooSlow == null && firstDemand != 0) {
                long elapsed = System.nanoTime() - firstDemand;
                if (elapsed > graceNanos && bytes * 1e9 / elapsed < bytesPerSecond) { // double: no overflow
                    tooSlow = Content.Chunk.from(new TooSlowException("request body arrived at " + bytes + " bytes in "
                            + elapsed / 1_000_000 + " ms, below the minimum of " + bytesPerSecond + " bytes/s"));
                    more.run(); // the reader wakes up and reads the failure
                    return;
                }
            }
            super.demand(more);
        }
    }
}
