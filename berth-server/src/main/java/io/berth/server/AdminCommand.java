package io.berth.server;

import io.berth.core.model.RegistryId;
import io.berth.core.spi.meta.IdentityStore.AccessKeyRecord;
import io.berth.core.spi.meta.IdentityStore.AccountRecord;
import io.berth.core.spi.meta.IdentityStore.UserRecord;
import io.berth.server.auth.AccessKeys;
import io.berth.server.auth.Identities;
import io.berth.server.config.BerthConfig;
import io.berth.server.config.ConfigKeys;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth admin}: accounts, IAM users and access keys, against the same data directory and database as
 * {@code serve} (safe while it runs: every change is one database transaction; the server reads keys per request).
 * A secret is printed once, when its key is created, and never again.
 */
@Command(name = "admin", mixinStandardHelpOptions = true, description = "Manage accounts, users, access keys and policies.",
        subcommands = {AdminCommand.CreateAccount.class, AdminCommand.CreateUser.class, AdminCommand.CreateKey.class,
                AdminCommand.ListIdentities.class, AdminCommand.RevokeKey.class, AdminCommand.RevokeUser.class,
                PolicyCommands.PutUserPolicy.class, PolicyCommands.DeleteUserPolicy.class,
                PolicyCommands.ListUserPolicies.class, PolicyCommands.CreatePolicy.class,
                PolicyCommands.AttachUserPolicy.class, PolicyCommands.DetachUserPolicy.class,
                PolicyCommands.SetRepositoryPolicy.class, PolicyCommands.DeleteRepositoryPolicy.class,
                PolicyCommands.MakePublic.class})
final class AdminCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** What every admin subcommand shares: the data/database options and the account to act on. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--account", paramLabel = "ID", description = "Account ID (default: the configured default "
                + "account, BERTH_ACCOUNT_ID or 000000000000)")
        String account;

        BerthConfig config;
        /** Open while {@link #run} runs. */
        Wiring wiring;

        @Override
        public final Integer call() {
            Map<String, String> cli = new HashMap<>();
            cli.put(ConfigKeys.ACCOUNT_ID, account);
            config = common.load(cli);
            try (Wiring w = Wiring.open(config)) {
                wiring = w;
                return run(w.identities(), config.auth().accountId(), System.out);
            } catch (io.berth.core.error.RegistryException e) {
                // a refused input (unknown user, invalid policy): the message says what to fix
                System.err.println("berth: " + e.getMessage());
                return 1;
            } finally {
                wiring = null;
            }
        }

        abstract int run(Identities ids, RegistryId account, PrintStream out);

        static void printKey(PrintStream out, Identities.NewKey k) {
            out.println("AccessKeyId:     " + k.accessKeyId());
            out.println("SecretAccessKey: " + k.secret());
            out.println("Owner:           arn:aws:iam::" + k.account() + ":"
                    + (k.userName() == null ? "root" : "user/" + k.userName()));
            out.println("The secret is shown only now; store it safely.");
        }
    }

    @Command(name = "create-account", mixinStandardHelpOptions = true,
            description = "Create an account (random ID unless --account) and its root access key.")
    static final class CreateAccount extends Base {
        @Override
        int run(Identities ids, RegistryId ignored, PrintStream out) {
            RegistryId id = new RegistryId(account != null ? account : AccessKeys.newAccountId());
            if (!ids.ensureAccount(id)) {
                System.err.println("berth: account " + id + " already exists");
                return 1;
            }
            out.println("Account:         " + id);
            printKey(out, ids.createAccessKey(id, null));
            return 0;
        }
    }

    @Command(name = "create-user", mixinStandardHelpOptions = true, description = "Create an IAM user.")
    static final class CreateUser extends Base {
        @Parameters(paramLabel = "NAME", description = "User name ([\\w+=,.@-]{1,64})")
        String name;

        @Option(names = "--with-key", description = "Also create an access key for the user")
        boolean withKey;

        @Override
        int run(Identities ids, RegistryId acct, PrintStream out) {
            UserRecord u = ids.createUser(acct, name);
            out.println("User:            arn:aws:iam::" + acct + ":user/" + u.name() + " (" + u.userId() + ")");
            if (withKey) {
                printKey(out, ids.createAccessKey(acct, name));
            }
            return 0;
        }
    }

    @Command(name = "create-key", mixinStandardHelpOptions = true,
            description = "Create an access key for a user (--user) or the account's root.")
    static final class CreateKey extends Base {
        @Option(names = "--user", paramLabel = "NAME", description = "The user; omitted: the account's root")
        String user;

        @Override
        int run(Identities ids, RegistryId acct, PrintStream out) {
            printKey(out, ids.createAccessKey(acct, user));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List accounts, or with --account the users and access keys of one account.")
    static final class ListIdentities extends Base {
        @Override
        int run(Identities ids, RegistryId acct, PrintStream out) {
            if (account == null) {
                for (AccountRecord a : ids.accounts()) {
                    out.println("account " + a.id() + " created " + a.createdAt());
                }
            }
            out.println("account " + acct + ":");
            for (UserRecord u : ids.users(acct)) {
                out.println("  user " + u.name() + " " + u.userId() + " " + u.status() + " created " + u.createdAt());
            }
            for (AccessKeyRecord k : ids.accessKeys(acct)) {
                out.println("  key  " + k.accessKeyId() + " " + (k.isRoot() ? "root" : "user/" + k.userName()) + " "
                        + k.status() + " created " + k.createdAt());
            }
            return 0;
        }
    }

    @Command(name = "revoke-key", mixinStandardHelpOptions = true, description = "Revoke an access key.")
    static final class RevokeKey extends Base {
        @Parameters(paramLabel = "ACCESS_KEY_ID")
        String keyId;

        @Override
        int run(Identities ids, RegistryId acct, PrintStream out) {
            if (!ids.revokeAccessKey(keyId)) {
                System.err.println("berth: no access key " + keyId);
                return 1;
            }
            out.println("Revoked " + keyId);
            return 0;
        }
    }

    @Command(name = "revoke-user", mixinStandardHelpOptions = true,
            description = "Revoke an IAM user; its access keys stop working with it.")
    static final class RevokeUser extends Base {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        int run(Identities ids, RegistryId acct, PrintStream out) {
            if (!ids.revokeUser(acct, name)) {
                System.err.println("berth: no user " + name + " in account " + acct);
                return 1;
            }
            out.println("Revoked user " + name + " of account " + acct);
            return 0;
        }
    }
}
