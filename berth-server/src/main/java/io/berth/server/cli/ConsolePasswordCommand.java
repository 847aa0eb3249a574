package io.berth.server.cli;

import io.berth.core.model.RegistryId;
import io.berth.server.auth.Identities;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth admin set-console-password USER}: the IAM user's web console password (IAM's login profile). It is
 * read from the terminal without echo (asked twice), or as the first line of standard input when that is not a
 * terminal, never from the command line (where {@code ps} and shell history would keep it). Only a slow salted hash
 * is stored; the audit event names the user, never the password.
 */
@Command(name = "set-console-password", mixinStandardHelpOptions = true,
        description = "Set an IAM user's web console password (read from the terminal, or the first line of stdin).")
final class ConsolePasswordCommand extends AdminCommand.Base {
    @Parameters(paramLabel = "USER", description = "The IAM user")
    String user;

    @Option(names = "--delete", description = "Remove the password instead: the user can no longer sign in with one")
    boolean delete;

    @Override
    String eventName() { return delete ? "DeleteLoginProfile" : "UpdateLoginProfile"; }

    @Override
    void describeForAudit() { auditParameters.put("userName", user); }

    @Override
    int run(Identities ids, RegistryId acct, PrintStream out) {
        if (delete) {
            if (!ids.deleteConsolePassword(acct, user)) {
                return refuse("NoSuchEntity", "user " + user + " of account " + acct + " has no console password");
            }
            out.println("Removed the console password of user " + user + " of account " + acct);
            return 0;
        }
        char[] password = read();
        if (password == null) {
            return refuse("InvalidInput", "no password given (type it at the prompt, or pipe it on stdin)");
        }
        try {
            ids.setConsolePassword(acct, user, password);
        } finally {
            Arrays.fill(password, '\0');
        }
        out.println("Set the console password of user " + user + " of account " + acct + "; sign in at /console "
                + "with account " + acct.value() + " and user name " + user);
        return 0;
    }

    /** From the terminal (twice, must match) or the first line of stdin; null when nothing was given. */
    private static char[] read() {
        Console console = System.console();
        if (console != null && System.in == ORIGINAL_IN) {
            char[] first = console.readPassword("Console password for the user: ");
            char[] again = first == null ? null : console.readPassword("Again: ");
            if (first == null || !Arrays.equals(first, again)) {
                System.err.println("berth: the passwords differ");
                return null;
            }
            Arrays.fill(again, '\0');
            return first;
        }
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return line == null || line.isEmpty() ? null : line.toCharArray();
        } catch (IOException e) {
            return null;
        }
    }

    /** A test (or an embedding) that replaces System.in means it: read from there, not the terminal. */
    private static final java.io.InputStream ORIGINAL_IN = System.in;
}
