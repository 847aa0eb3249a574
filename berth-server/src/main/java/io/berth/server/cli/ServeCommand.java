package io.berth.server.cli;

import io.berth.server.auth.RootCredentials;
import io.berth.server.boot.BerthApp;
import io.berth.server.config.AuthConfig;
import io.berth.server.config.BerthConfig;
import io.berth.server.config.HttpConfig;
import io.berth.server.config.LogConfig;
import io.berth.server.config.TlsConfig;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
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
        BerthConfig config = common.load(keys());
        // read by logback.xml; must be set before the first logger exists
        System.setProperty("berth.log.format", config.log().format().name().toLowerCase(Locale.ROOT));
        BerthApp app = BerthApp.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(app::stop, "berth-shutdown"));
        System.out.println(app.startLine());
        String region = config.regions().regions().defaultRegion();
        String endpoint = app.server().uri().toString();
        app.generatedRootKey().ifPresent(k -> System.out.println(RootCredentials.loginHelp(k,
                config.storage().data(), region, endpoint, config.regions().host(k.account(), region,
                        endpoint.replaceFirst("^https?://", "").replaceFirst("/$", "")))));
        System.out.flush();
        app.join();
        return 0;
    }

    /** The configuration keys this command's own options set (only those given). */
    Map<String, String> keys() {
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
        return cli;
    }
}
