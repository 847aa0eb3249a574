package io.berth.server;

import io.berth.core.model.RegistryId;
import io.berth.server.auth.Authenticator;
import io.berth.server.auth.NoAuthenticator;
import io.berth.server.config.BerthConfig;
import io.berth.server.http.ecr.EcrContext;
import io.berth.server.http.ecr.EcrHandler;
import io.berth.server.http.ecr.HmacUrlSigner;
import io.berth.server.http.ecr.LayerDownloadHandler;
import io.berth.server.http.ecr.PlaceholderTokenIssuer;
import io.berth.server.config.ConfigKeys;
import io.berth.server.http.BerthServer;
import io.berth.server.http.HealthHandler;
import io.berth.server.http.RootHandler;
import io.berth.server.http.oci.OciHandler;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth serve}: the registry. Prints one start line, then serves until SIGTERM. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the registry.")
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Address to listen on (default 0.0.0.0:5000)")
    String listen;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain; enables HTTPS and HTTP/2")
    String tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC)")
    String tlsKey;

    @Option(names = "--log-format", paramLabel = "text|json", description = "Log format (default text)")
    String logFormat;

    @Override
    public Integer call() throws Exception {
        Map<String, String> cli = new HashMap<>();
        cli.put(ConfigKeys.LISTEN, listen);
        cli.put(ConfigKeys.TLS_CERT, tlsCert);
        cli.put(ConfigKeys.TLS_KEY, tlsKey);
        cli.put(ConfigKeys.LOG_FORMAT, logFormat);
        BerthConfig config = common.load(cli);
        // read by logback.xml; must be set before the first logger exists
        System.setProperty("berth.log.format", config.log().format().name().toLowerCase(Locale.ROOT));
        Running running = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "berth-shutdown"));
        System.out.println(running.startLine());
        System.out.flush();
        running.server.join();
        return 0;
    }

    /** A started registry: what {@code serve} runs and what the integration tests boot in-process. */
    public static final class Running {
        private static final Logger LOG = LoggerFactory.getLogger(Running.class);
        final BerthConfig config;
        final Wiring wiring;
        final BerthServer server;
        final GcScheduler gc;

        Running(BerthConfig config, Wiring wiring, BerthServer server, GcScheduler gc) {
            this.config = config;
            this.wiring = wiring;
            this.server = server;
            this.gc = gc;
        }

        public BerthServer server() { return server; }

        public Wiring wiring() { return wiring; }

        String startLine() {
            return "Berth " + Version.VERSION + " listening on " + server.uri() + " (storage "
                    + wiring.blobs().describe() + ", metadata " + wiring.metadata().describe()
                    + "; authentication: none, open registry)";
        }

        /** Graceful: Jetty finishes in-flight requests first, then GC stops, then the stores close. */
        public void stop() {
            try {
                server.stop();
            } catch (Exception e) {
                LOG.warn("error stopping HTTP server", e);
            }
            gc.close();
            wiring.close();
        }
    }

    public static Running start(BerthConfig config) throws Exception {
        Logger log = LoggerFactory.getLogger(ServeCommand.class);
        Wiring wiring = Wiring.open(config);
        try {
            OciHandler oci = new OciHandler(wiring.service());
            HealthHandler health = new HealthHandler(wiring::checkHealth);
            // Until the identity work is merged: no authentication, placeholder registry tokens, and a URL signing
            // key of its own in the data directory.
            Authenticator authenticator = new NoAuthenticator(RegistryId.DEFAULT);
            EcrContext ecrContext = new EcrContext(wiring.services(), new PlaceholderTokenIssuer(wiring.clock()),
                    HmacUrlSigner.fromKeyFile(config.storage().data().resolve("url-signing.key")), wiring.clock());
            RootHandler root = RootHandler.of(oci, health, new EcrHandler(authenticator, ecrContext),
                    new LayerDownloadHandler(ecrContext));
            BerthServer server = new BerthServer(config.http(),
                    root, config.log().format() == BerthConfig.LogFormat.JSON);
            server.start();
            if (!server.isTls() && !isLoopback(config.http().host())) {
                log.warn("plain HTTP on {} is reachable from other hosts and carries pushes unencrypted; "
                        + "use --tls-cert/--tls-key or listen on 127.0.0.1 behind a TLS proxy", config.http().listen());
            }
            GcScheduler gc = new GcScheduler(wiring.garbageCollector(config.gc().grace()), config.gc().interval());
            gc.start();
            return new Running(config, wiring, server, gc);
        } catch (Exception | Error e) {
            wiring.close();
            throw e;
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (Exception e) {
            return false;
        }
    }
}
