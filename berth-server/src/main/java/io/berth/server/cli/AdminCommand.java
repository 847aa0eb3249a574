package io.berth.server.cli;

import io.berth.server.boot.BerthApp;
import io.berth.server.boot.Stores;
import io.berth.server.boot.Version;
import io.berth.core.audit.AuditLog;
import io.berth.core.audit.Redaction;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;
import io.berth.core.spi.meta.AuditEvent;
import io.berth.core.spi.meta.IdentityStore.AccessKeyRecord;
import io.berth.core.spi.meta.IdentityStore.AccountRecord;
import io.berth.core.spi.meta.IdentityStore.UserRecord;
import io.berth.server.auth.AccessKeys;
import io.berth.server.auth.Identities;
import io.berth.server.config.BerthConfig;
import io.berth.server.config.AuthConfig;
import java.io.PrintStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * A secret is printed once, when its key is created, and never again. Every change, and every refused change, is
 * written to the audit trail (event source {@code berth-admin}) before the command exits.
 */
@Command(name = "admin", mixinStandardHelpOptions = true, description = "Manage accounts, users, access keys, policies and background jobs.",
        subcommands = {AdminCommand.CreateAccount.class, AdminCommand.CreateUser.class, AdminCommand.CreateKey.class,
                AdminCommand.ListIdentities.class, AdminCommand.RevokeKey.class, AdminCommand.RevokeUser.class,
                ConsolePasswordCommand.class,
                AuditCommand.class, AuditPruneCommand.class, EventsCommand.class, JobsCommand.class, NodesCommand.class,
                PolicyCommands.PutUserPolicy.class, PolicyCommands.DeleteUserPolicy.class,
                PolicyCommands.ListUserPolicies.class, PolicyCommands.CreatePolicy.class,
                PolicyCommands.AttachUserPolicy.class, PolicyCommands.DetachUserPolicy.class,
                PolicyCommands.SetRepositoryPolicy.class, PolicyCommands.DeleteRepositoryPolicy.class,
                PolicyCommands.MakePublic.class, SetImageTimesCommand.class, SigningCommands.class,
                ReplicateCommand.class, ReplicationCommand.class, CacheCommand.class, WebhooksCommands.class})
public final class AdminCommand implements Runnable {
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
        /** Filled by {@link #run}: what the audit event says was asked for, and what was created. */
        final Map<String, Object> auditParameters = new LinkedHashMap<>();
        final Map<String, Object> auditResponse = new LinkedHashMap<>();
        String auditError;
        String auditErrorMessage;
        /** Open while {@link #run} runs. */
        Stores stores;

        @Override
        public final Integer call() {
            Map<String, String> cli = new HashMap<>();
            cli.put(AuthConfig.ACCOUNT_ID.name(), account);
            config = common.load(cli);
            try (Stores opened = BerthApp.openStores(config)) {
                stores = opened;
                RegistryId acct = config.auth().accountId();
                int rc;
                try {
                    describeForAudit();
                    rc = run(opened.identities(), acct, System.out);
                } catch (RegistryException e) {
                    // a refused input (unknown user, invalid policy): the message says what to fix
                    rc = refuse(e.code().awsType(io.berth.core.error.AwsService.ECR), e.getMessage());
                } catch (RuntimeException e) {
                    auditError = e.getClass().getSimpleName();
                    auditErrorMessage = e.getMessage();
                    audit(opened.audit(), acct);
                    throw e;
                }
                audit(opened.audit(), acct);
                return rc;
            } finally {
                stores = null;
            }
        }

        /** The event name of this change; null for commands that change nothing (not audited). */
        String eventName() { return null; }

        /** Puts what the command was asked to change into {@link #auditParameters}, before it runs. */
        void describeForAudit() { }

        /** Prints the error and remembers it for the audit event; returns the exit status. */
        int refuse(String errorCode, String message) {
            System.err.println("berth: " + message);
            auditError = errorCode;
            auditErrorMessage = message;
            return 1;
        }

        /** Written durably: an admin change is rare, and must not be lost to a batching window. */
        private void audit(AuditLog log, RegistryId acct) {
            String name = eventName();
            if (name == null) {
                return;
            }
            auditParameters.putIfAbsent("accountId", acct.value());
            log.recordDurably(new AuditEvent(Instant.now(), name, AuditEvent.SOURCE_ADMIN,
                    AuditEvent.UserIdentity.localAdmin(System.getProperty("user.name")), null,
                    "berth-cli/" + Version.VERSION, Redaction.parameters(auditParameters),
                    Redaction.parameters(auditResponse), auditError, auditErrorMessage, null,
                    (String) auditParameters.get("repositoryName"), (String) auditParameters.get("accountId")));
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
            auditParameters.put("accountId", id.value());
            if (!ids.ensureAccount(id)) {
                return refuse("EntityAlreadyExists", "account " + id + " already exists");
            }
            out.println("Account:         " + id);
            Identities.NewKey k = ids.createAccessKey(id, null);
            auditResponse.put("accessKeyId", k.accessKeyId());
            printKey(out, k);
            return 0;
        }

        @Override
        String eventName() { return "CreateAccount"; }
    }

    @Command(name = "create-user", mixinStandardHelpOptions = true, description = "Create an IAM user.")
    static final class CreateUser extends Base {
        @Parameters(paramLabel = "NAME", description = "User name ([\\w+=,.@-]{1,64})")
        String name;

        @Option(names = "--with-key", description = "Also create an access key for the user")
        boolean withKey;

        @Override
        int run(Identities ids, RegistryId acct, PrintStream out) {
            auditParameters.put("userName", name);
            auditParameters.put("withKey", withKey);
            UserRecord u = ids.createUser(acct, name);
            auditResponse.put("userId", u.userId());
            out.println("User:            arn:aws:iam::" + acct + ":user/" + u.name() + " (" + u.userId() + ")");
            if (withKey) {
                Identities.NewKey k = ids.createAccessKey(acct, name);
                auditResponse.put("accessKeyId", k.accessKeyId());
                printKey(out, k);
            }
            return 0;
        }

        @Override
        String eventName() { return "CreateUser"; }
    }

    @Command(name = "create-key", mixinStandardHelpOptions = true,
            description = "Create an access key for a user (--user) or the account's root.")
    static final class CreateKey extends Base {
        @Option(names = "--user", paramLabel = "NAME", description = "The user; omitted: the account's root")
        String user;

        @Override
        int run(Identities ids, RegistryId acct, PrintStream out) {
            if (user != null) {
                auditParameters.put("userName", user);
            }
            Identities.NewKey k = ids.createAccessKey(acct, user);
            auditResponse.put("accessKeyId", k.accessKeyId());
            printKey(out, k);
            return 0;
        }

        @Override
        String eventName() { return "CreateAccessKey"; }
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
            auditParameters.put("accessKeyId", keyId);
            if (!ids.revokeAccessKey(keyId)) {
                return refuse("NoSuchEntity", "no access key " + keyId);
            }
            out.println("Revoked " + keyId);
            return 0;
        }

        @Override
        String eventName() { return "RevokeAccessKey"; }
    }

    @Command(name = "revoke-user", mixinStandardHelpOptions = true,
            description = "Revoke an IAM user; its access keys stop working with it.")
    static final class RevokeUser extends Base {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        int run(Identities ids, RegistryId acct, PrintStream out) {
            auditParameters.put("userName", name);
            if (!ids.revokeUser(acct, name)) {
                return refuse("NoSuchEntity", "no user " + name + " in account " + acct);
            }
            out.println("Revoked user " + name + " of account " + acct);
            return 0;
        }

        @Override
        String eventName() { return "RevokeUser"; }
    }
}
