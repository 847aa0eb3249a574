package io.berth.server;

import io.berth.server.auth.Identities;
import io.berth.server.auth.RootCredentials;
import io.berth.server.auth.StsHandler;
import io.berth.server.config.BerthConfig;
import io.berth.server.http.ecr.EcrContext;
import io.berth.server.http.ecr.EcrHandler;
import io.berth.server.http.ecr.HmacUrlSigner;
import io.berth.server.http.ecr.LayerDownloadHandler;
import io.berth.server.http.ecr.RegistryTokenIssuer;
import io.berth.server.config.AuthConfig;
import io.berth.server.config.HttpConfig;
import io.berth.server.config.LogConfig;
import io.berth.server.config.TlsConfig;
import io.berth.server.http.BerthServer;
import io.berth.server.http.HealthHandler;
import io.berth.server.http.RootHandler;
import io.berth.server.http.oci.OciHandler;
import io.berth.server.http.paging.PageCursors;
import io.berth.server.auth.MasterKey;
import io.berth.server.auth.SecretCipher;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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

    @Option(names = "--account-id", paramLabel = "ID", description = "The default account's 12-digit ID "
            + "(default 000000000000)")
    String accountId;

    @Option(names = "--region", paramLabel = "REGION", description = "The region SigV4 scopes must name "
            + "(default us-east-1)")
    String region;

    @Option(names = "--insecure-no-auth", description = "Serve without any authentication (everyone is the default "
            + "account's root). For throw-away local use only.")
    boolean insecureNoAuth;

    @Override
    public Integer call() throws Exception {
        Map<String, String> cli = new HashMap<>();
        cli.put(HttpConfig.LISTEN.name(), listen);
        cli.put(TlsConfig.CERT.name(), tlsCert);
        cli.put(TlsConfig.KEY.name(), tlsKey);
        cli.put(LogConfig.FORMAT.name(), logFormat);
        cli.put(AuthConfig.ACCOUNT_ID.name(), accountId);
        cli.put(AuthConfig.REGION.name(), region);
        if (insecureNoAuth) {
            cli.put(AuthConfig.INSECURE_NO_AUTH.name(), "true");
        }
        BerthConfig config = common.load(cli);
        // read by logback.xml; must be set before the first logger exists
        System.setProperty("berth.log.format", config.log().format().name().toLowerCase(Locale.ROOT));
        Running running = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "berth-shutdown"));
        System.out.println(running.startLine());
        running.generatedRootKey.ifPresent(k -> System.out.println(RootCredentials.loginHelp(k,
                config.storage().data(), config.auth().region(), running.server.uri().toString())));
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
        final AuditPruneScheduler auditPrune;
        final Optional<Identities.NewKey> generatedRootKey;

        Running(BerthConfig config, Wiring wiring, BerthServer server, GcScheduler gc, AuditPruneScheduler auditPrune,
                Optional<Identities.NewKey> generatedRootKey) {
            this.config = config;
            this.wiring = wiring;
            this.server = server;
            this.gc = gc;
            this.auditPrune = auditPrune;
            this.generatedRootKey = generatedRootKey;
        }

        public BerthServer server() { return server; }

        public Wiring wiring() { return wiring; }

        String startLine() {
            return "Berth " + Version.VERSION + " listening on " + server.uri() + " (storage "
                    + wiring.blobs().describe() + ", metadata " + wiring.metadata().describe()
                    + "; " + authDescription(config) + ")";
        }

        static String authDescription(BerthConfig config) {
            return config.auth().insecureNoAuth() ? "authentication: DISABLED (--insecure-no-auth)"
                    : "authentication: SigV4 and registry tokens, account " + config.auth().accountId() + ", region "
                    + config.auth().region();
        }

        /**
         * Graceful: Jetty finishes in-flight requests first, then GC stops, then the stores close (the audit queue
         * is drained into the database before it closes, see {@link Wiring#close}).
         */
        public void stop() {
            try {
                server.stop();
            } catch (Exception e) {
                LOG.warn("error stopping HTTP server", e);
            }
            gc.close();
            auditPrune.close();
            wiring.close();
        }
    }

    public static Running start(BerthConfig config) throws Exception {
        Logger log = LoggerFactory.getLogger(ServeCommand.class);
        Wiring wiring = Wiring.open(config);
        try {
            Optional<Identities.NewKey> generated = Optional.empty();
            if (config.auth().insecureNoAuth()) {
                log.warn("AUTHENTICATION IS DISABLED (--insecure-no-auth): anyone who can reach {} can push, pull "
                        + "and delete in every account", config.http().listen());
            } else {
                generated = RootCredentials.bootstrap(wiring.identities(), config.auth(), config.storage().data());
            }
            // catalog and DescribeRepositories cursors: sealed under the master key, so every node opens them
            PageCursors cursors = new PageCursors(new SecretCipher(MasterKey.load(config.auth().masterKey(),
                    config.storage().data())));
            OciHandler oci = new OciHandler(wiring.services()::forRegistry, wiring.registryGate(), wiring.audit(),
                    wiring.pulls(), cursors);
            HealthHandler health = new HealthHandler(wiring::checkHealth);
            StsHandler sts = new StsHandler(wiring.apiCalls(),
                    config.auth().insecureNoAuth() ? null : wiring.identities(), wiring.audit());
            RegistryTokenIssuer tokens = principal -> {
                var token = wiring.tokens().issue(principal);
                return new RegistryTokenIssuer.Issued(token.password(), token.expiresAt());
            };
            EcrContext ecrContext = new EcrContext(wiring.services(), tokens,
                    HmacUrlSigner.fromKeyFile(config.storage().data().resolve("url-signing.key")), wiring.clock(),
                    wiring.policies(), config.auth().insecureNoAuth() ? null : wiring.access(), cursors);
            RootHandler root = RootHandler.of(oci, health, new EcrHandler(wiring.apiCalls(), ecrContext,
                    wiring.audit(), config.auth().region()), sts,
                    new LayerDownloadHandler(ecrContext));
            BerthServer server = new BerthServer(config.http(),
                    root, config.log().format() == LogConfig.LogFormat.JSON);
            server.start();
            if (!server.isTls() && !isLoopback(config.http().host())) {
                log.warn("plain HTTP on {} is reachable from other hosts and carries pushes unencrypted; "
                        + "use --tls-cert/--tls-key or listen on 127.0.0.1 behind a TLS proxy", config.http().listen());
            }
            GcScheduler gc = new GcScheduler(wiring.garbageCollector(config.gc().grace()), config.gc().interval());
            gc.start();
            AuditPruneScheduler auditPrune = new AuditPruneScheduler(
                    new io.berth.core.audit.AuditRetention(wiring.metadata(), wiring.clock()), config.audit());
            auditPrune.start();
            return new Running(config, wiring, server, gc, auditPrune, generated);
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
