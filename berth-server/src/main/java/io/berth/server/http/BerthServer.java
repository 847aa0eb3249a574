package io.berth.server.http;

import io.berth.server.config.HttpConfig;
import io.berth.server.config.HttpLimits;
import io.berth.server.config.TlsConfig;
import java.net.URI;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The Jetty server of the one port: plain HTTP/1.1, or TLS with ALPN choosing HTTP/2 or HTTP/1.1. Stopping is
 * graceful: {@link GracefulHandler} refuses new requests and waits up to the stop timeout for in-flight ones.
 *
 * <p>What a slow or greedy client can hold ({@link HttpLimits}): a connection closes after the idle timeout; a request
 * body must average the minimum rate ({@link MinimumRequestRate}); and at most {@code maxActiveRequests} data-plane
 * requests run at once ({@link QoSHandler}: the rest wait, suspended, without a thread, and get 503 after
 * {@link #MAX_QUEUED}), so {@code /healthz} and {@code /readyz}, which bypass that limit, always find a free thread.
 * Jetty has no separate bound on the time to receive request headers; a client trickling headers holds no thread
 * (Jetty parses them without one), only its connection, until the idle timeout.
 */
public final class BerthServer {
    /** Requests get this long to finish on shutdown (a large blob may still be streaming). */
    public static final long STOP_TIMEOUT_MS = 30_000;

    /**
     * The largest buffer Jetty's default buffer pool keeps. A larger read buffer is allocated afresh, as direct
     * memory, for every request, and that starved the hot path (the allocations waited on reference processing)
     * and inflated RSS: keep this within the pool.
     */
    private static final int INPUT_BUFFER_BYTES = 64 * 1024;

    /** How long a data-plane request may wait for its turn before it is answered 503. */
    static final Duration MAX_QUEUED = Duration.ofSeconds(30);

    /** Paths that bypass the request limit: a busy registry must still answer its probes and its scrapes. */
    static final String[] PROBES = {"/healthz", "/readyz", "/metrics"};

    private final Server server;
    private final QoSHandler requestLimit;
    private final ServerConnector connector;
    private final boolean tls;

    public BerthServer(HttpConfig http, Handler root, boolean jsonAccessLog) throws Exception {
        this(http, root, jsonAccessLog, null);
    }

    /** @param metrics also told of every completed request (null: none), after the access log */
    public BerthServer(HttpConfig http, Handler root, boolean jsonAccessLog, RequestLog metrics) throws Exception {
        // blocking handlers: each request holds a thread, so the pool bounds concurrency; 200 is Jetty's default
        QueuedThreadPool pool = new QueuedThreadPool(HttpLimits.REQUEST_THREADS, 8, 60_000);
        pool.setName("berth-http");
        server = new Server(pool);
        HttpConfiguration hc = new HttpConfiguration();
        hc.setSendServerVersion(false);
        hc.setSendXPoweredBy(false);
        // Signer's tag operations carry an ARN in one path segment, its slashes sent as %2F (as the AWS SDKs and
        // CLI encode every URI label); Jetty refuses such paths by default. Routing reads the raw path and decodes
        // segment by segment (RestJsonProtocol.segments), so an encoded slash never becomes a separator.
        hc.setUriCompliance(org.eclipse.jetty.http.UriCompliance.DEFAULT.with("berth-arn-labels",
                org.eclipse.jetty.http.UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
        tls = http.tls().isPresent();
        if (tls) {
            TlsConfig t = http.tls().get();
            hc.setSecureScheme("https");
            SecureRequestCustomizer src = new SecureRequestCustomizer();
            src.setSniHostCheck(false); // registries are reached by many names (IP, LB alias); do not 400 on SNI
            hc.addCustomizer(src);
            char[] password = randomPassword();
            KeyStore ks = PemKeyStore.load(t.cert(), t.key(), password);
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(ks);
            ssl.setKeyStorePassword(new String(password));
            ssl.setKeyManagerPassword(new String(password));
            HttpConnectionFactory h1 = http1(hc);
            HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(hc);
            h2.setStreamIdleTimeout(http.limits().idleTimeout().toMillis()); // a silent stream, like a connection
            ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
            alpn.setDefaultProtocol(h1.getProtocol());
            SslConnectionFactory tlsFactory = new SslConnectionFactory(ssl, alpn.getProtocol());
            connector = new ServerConnector(server, tlsFactory, alpn, h2, h1);
        } else {
            connector = new ServerConnector(server, http1(hc));
        }
        HttpLimits limits = http.limits();
        connector.setHost(http.host());
        connector.setPort(http.port());
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        server.addConnector(connector);
        requestLimit = requestLimit(limits, new MinimumRequestRate(root, limits.minRequestRate(),
                limits.minRequestRateGrace()));
        server.setHandler(new GracefulHandler(requestLimit));
        server.setStopTimeout(STOP_TIMEOUT_MS);
        server.setStopAtShutdown(false); // Main's hook stops Jetty first and then closes the stores, in that order
        server.setRequestLog(metrics == null ? new AccessLog(jsonAccessLog)
                : new RequestLog.Collection(new AccessLog(jsonAccessLog), metrics));
    }

    /**
     * HTTP/1.1 with a larger read buffer than Jetty's default: a blob upload is read through a blocking stream, and
     * every refill of that buffer is a wake-up between the selector and the request thread, so bigger refills let
     * one upload stream approach the speed of SHA-256 instead of the speed of thread hand-offs. Buffers come from
     * Jetty's pool and go back to it when a connection has nothing left to read.
     */
    private static HttpConnectionFactory http1(HttpConfiguration hc) {
        HttpConnectionFactory h1 = new HttpConnectionFactory(hc);
        h1.setInputBufferSize(INPUT_BUFFER_BYTES);
        return h1;
    }

    /**
     * Admits {@code maxActiveRequests} requests at once (probes excepted); a request beyond that is suspended, not
     * holding a thread, until one finishes, at most {@link #MAX_QUEUED}, and the queue itself is bounded.
     */
    private static QoSHandler requestLimit(HttpLimits limits, Handler next) {
        QoSHandler qos = new QoSHandler(next);
        qos.setMaxRequestCount(limits.maxActiveRequests());
        qos.setMaxSuspendedRequestCount(16 * limits.maxActiveRequests());
        qos.setMaxSuspend(MAX_QUEUED);
        qos.excludePath(PROBES);
        return qos;
    }

    public void start() throws Exception { server.start(); }

    /** Data-plane requests waiting for their turn now (for tests and diagnostics). */
    public int queuedRequests() { return requestLimit.getSuspendedRequestCount(); }

    /** The bound port (useful with port 0). */
    public int port() { return connector.getLocalPort(); }

    public boolean isTls() { return tls; }

    /** The URL clients use; {@code 0.0.0.0} is shown as configured. */
    public URI uri() {
        String host = connector.getHost() == null ? "0.0.0.0" : connector.getHost();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return URI.create((tls ? "https" : "http") + "://" + host + ":" + port());
    }

    /** Graceful: finishes in-flight requests (up to {@link #STOP_TIMEOUT_MS}), then closes the connector. */
    public void stop() throws Exception { server.stop(); }

    public void join() throws InterruptedException { server.join(); }

    private static char[] randomPassword() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b).toCharArray();
    }
}
