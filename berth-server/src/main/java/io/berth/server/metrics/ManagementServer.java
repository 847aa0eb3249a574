package io.berth.server.metrics;

import java.net.URI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The management port ({@code management.listen}): {@code /metrics} open, plus the health probes. Its own small
 * thread pool, so scrapes never take a thread from requests (and a registry saturated by requests still answers
 * its scrapes and probes). Plain HTTP: bind it to loopback or a private network.
 */
public final class ManagementServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    public ManagementServer(String host, int port, BerthMetrics metrics, Handler health) {
        QueuedThreadPool pool = new QueuedThreadPool(8, 2);
        pool.setName("berth-management");
        server = new Server(pool);
        connector = new ServerConnector(server, 1, 1);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        MetricsHandler scrape = MetricsHandler.open(metrics);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String path = request.getHttpURI().getPath();
                if (!request.getMethod().equals("GET")) {
                    return false; // Jetty answers 404
                }
                if (path.equals("/metrics")) {
                    return scrape.handle(request, response, callback);
                }
                if (path.equals("/healthz") || path.equals("/readyz")) {
                    return health.handle(request, response, callback);
                }
                return false;
            }
        });
        server.setStopTimeout(2_000);
    }

    public void start() throws Exception { server.start(); }

    public int port() { return connector.getLocalPort(); }

    public URI uri() {
        String host = connector.getHost() == null ? "0.0.0.0" : connector.getHost();
        return URI.create("http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port());
    }

    @Override
    public void close() throws Exception { server.stop(); }
}
