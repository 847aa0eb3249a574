package io.berth.server;

import io.berth.server.boot.Version;
import io.berth.server.cli.AdminCommand;
import io.berth.server.cli.CatalogBenchCommand;
import io.berth.server.cli.GcCommand;
import io.berth.server.cli.LifecycleBenchCommand;
import io.berth.server.cli.ScanBenchCommand;
import io.berth.server.cli.ServeCommand;
import io.berth.server.cli.TrainCommand;
import io.berth.server.cli.VulnDbCommand;
import io.berth.server.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code berth}: where a running Berth starts. {@code serve} ({@link ServeCommand}) loads the configuration and
 * starts a {@link io.berth.server.boot.BerthApp}; {@code gc} and {@code admin} open its stores. No logger is touched
 * before the configuration is read, because the log format ({@code --log-format json}) must be chosen before Logback
 * initialises.
 */
@Command(name = "berth", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Berth: a self-hosted, ECR-compatible OCI container registry.",
        subcommands = {ServeCommand.class, GcCommand.class, AdminCommand.class, TrainCommand.class,
                LifecycleBenchCommand.class, CatalogBenchCommand.class, ScanBenchCommand.class, VulnDbCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        int code = newCommandLine().execute(args);
        System.exit(code);
    }

    static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException) {
                commandLine.getErr().println("berth: " + e.getMessage());
                return 2;
            }
            if (e instanceof io.berth.core.error.RegistryException) { // e.g. berth admin: user already exists
                commandLine.getErr().println("berth: " + e.getMessage());
                return 1;
            }
            if (e instanceof UnsupportedOperationException) { // a backend not built into this binary
                commandLine.getErr().println("berth: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cl;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() { return new String[] {"Berth " + Version.VERSION}; }
    }
}
