package io.berth.server.cli;

import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.policy.PolicyParser;
import io.berth.server.access.Policies;
import io.berth.server.auth.Identities;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth admin} subcommands for identity policies (named after {@code aws iam}'s) and for making a repository
 * public. A running server sees a change within {@link io.berth.server.access.PolicyCache#POLL}.
 */
final class PolicyCommands {
    private PolicyCommands() {}

    /** The pull actions a public repository grants to everyone, credentials or not. */
    static final String PUBLIC_PULL_POLICY = """
            {"Version":"2012-10-17","Statement":[{"Sid":"PublicPull","Effect":"Allow","Principal":"*",\
            "Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer","ecr:BatchCheckLayerAvailability"]}]}""";

    /** {@code file://path} reads the file (as the AWS CLI does); anything else is the JSON itself. */
    static String document(String arg) {
        if (arg.startsWith("file://")) {
            try {
                return Files.readString(Path.of(arg.substring("file://".length())));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read policy document " + arg, e);
            }
        }
        return arg;
    }

    abstract static class UserBase extends AdminCommand.Base {
        @Option(names = "--user", paramLabel = "NAME", required = true, description = "The IAM user")
        String user;

        Policies policies() { return stores.policies(); }

        @Override
        void describeForAudit() { auditParameters.put("userName", user); }
    }

    @Command(name = "put-user-policy", mixinStandardHelpOptions = true,
            description = "Add or replace an inline policy of a user.")
    static final class PutUserPolicy extends UserBase {
        @Override
        String eventName() { return "PutUserPolicy"; }

        @Override
        void describeForAudit() {
            super.describeForAudit();
            auditParameters.put("policyName", policyName);
        }

        @Option(names = "--policy-name", required = true) String policyName;

        @Option(names = "--policy-document", required = true, description = "JSON, or file://path")
        String doc;

        @Override
        int run(Identities ids, RegistryId acct, PrintStream out) {
            policies().putUserPolicy(acct, user, policyName, document(doc));
            out.println("Put inline policy " + policyName + " on user " + user + " of account " + acct);
            return 0;
        }
    }

    @Command(name = "delete-user-policy", mixinStandardHelpOptions = true,
            description = "Delete an inline policy of a user.")
    static final class DeleteUserPolicy extends UserBase {
        @Override
        String eventName() { return "DeleteUserPolicy"; }

        @Override
        void describeForAudit() {
            super.describeForAudit();
            auditParameters.put("policyName", policyName);
        }

        @Option(names = "--policy-name", required = true) String policyName;

        @Override
        int run(Identities ids, RegistryId acct, PrintStream out) {
            if (!policies().deleteUserPolicy(acct, user, policyName)) {
                System.err.println("berth: user " + user + " has no inline policy " + policyName);
                return 1;
            }
            out.println("Deleted inline policy " + policyName + " of user " + user);
            return 0;
        }
    }

    @Command(name = "list-user-policies", mixinStandardHelpOptions = true,
            description = "List a user's inline policies (with --verbose their documents) and attached policies.")
    static final class ListUserPolicies extends UserBase {
        @Option(names = "--verbose") boolean verbose;

        @Override
        int run(Identities ids, RegistryId acct, PrintStream out) {
            for (String name : policies().userPolicyNames(acct, user)) {
                out.println("inline   " + name);
                if (verbose) {
                    policies().userPolicy(acct, user, name).ifPresent(d -> out.println("  " + d));
                }
            }
            for (String arn : policies().attachedUserPolicies(acct, user)) {
                out.println("attached " + arn);
            }
            return 0;
        }
    }

    @Command(name = "create-policy", mixinStandardHelpOptions = true,
            description = "Create a customer-managed policy; prints its ARN for attach-user-policy.")
    static final class CreatePolicy extends AdminCommand.Base {
        @Override
        String eventName() { return "CreatePolicy"; }

        @Option(names = {"--name", "--policy-name"}, required = true) String name;

        @Option(names = {"--document", "--policy-document"}, required = true, description = "JSON, or file://path")
        String doc;

        @Override
        int run(Identities ids, RegistryId acct, PrintStream out) {
            out.println("Arn:             " + stores.policies().createPolicy(acct, name, document(doc)));
            return 0;
        }
    }

    @Command(name = "attach-user-policy", mixinStandardHelpOptions = true,
            description = "Attach a managed policy (arn:aws:iam::<account>:policy/NAME) to a user.")
    static final class AttachUserPolicy extends UserBase {
        @Override
        String eventName() { return "AttachUserPolicy"; }

        @Option(names = "--policy-arn", required = true) String arn;

        @Override
        int run(Identities ids, RegistryId acct, PrintStream out) {
            policies().attachUserPolicy(acct, user, arn);
            out.println("Attached " + arn + " to user " + user);
            return 0;
        }
    }

    @Command(name = "detach-user-policy", mixinStandardHelpOptions = true,
            description = "Detach a managed policy from a user.")
    static final class DetachUserPolicy extends UserBase {
        @Override
        String eventName() { return "DetachUserPolicy"; }

        @Option(names = "--policy-arn", required = true) String arn;

        @Override
        int run(Identities ids, RegistryId acct, PrintStream out) {
            if (!policies().detachUserPolicy(acct, user, arn)) {
                System.err.println("berth: " + arn + " is not attached to user " + user);
                return 1;
            }
            out.println("Detached " + arn + " from user " + user);
            return 0;
        }
    }

    @Command(name = "set-repository-policy", mixinStandardHelpOptions = true,
            description = "Set a repository's policy as an operator (no lock-out check; the ECR API's "
                    + "SetRepositoryPolicy is the client-facing way).")
    static final class SetRepositoryPolicy extends AdminCommand.Base {
        @Override
        String eventName() { return "SetRepositoryPolicy"; }

        @Override
        void describeForAudit() { auditParameters.put("repositoryName", repository); }

        @Option(names = "--repository", paramLabel = "NAME", required = true) String repository;

        @Option(names = {"--policy-document", "--policy-text"}, required = true, description = "JSON, or file://path")
        String doc;

        @Override
        int run(Identities ids, RegistryId acct, PrintStream out) {
            RepositoryName name = RepositoryName.of(repository);
            stores.services().admin(acct).require(name);
            stores.policies().setRepositoryPolicy(acct, name.value(), PolicyParser.repository().parse(document(doc)));
            out.println("Set the policy of repository " + name + " of account " + acct);
            return 0;
        }
    }

    @Command(name = "delete-repository-policy", mixinStandardHelpOptions = true,
            description = "Delete a repository's policy.")
    static final class DeleteRepositoryPolicy extends AdminCommand.Base {
        @Override
        String eventName() { return "DeleteRepositoryPolicy"; }

        @Override
        void describeForAudit() { auditParameters.put("repositoryName", repository); }

        @Option(names = "--repository", paramLabel = "NAME", required = true) String repository;

        @Override
        int run(Identities ids, RegistryId acct, PrintStream out) {
            if (!stores.policies().deleteRepositoryPolicy(acct, RepositoryName.of(repository).value())) {
                System.err.println("berth: repository " + repository + " of account " + acct + " has no policy");
                return 1;
            }
            out.println("Deleted the policy of repository " + repository + " of account " + acct);
            return 0;
        }
    }

    @Command(name = "make-public", mixinStandardHelpOptions = true,
            description = "Let anyone pull a repository, without credentials: sets its repository policy to allow "
                    + "Principal \"*\" ecr:BatchGetImage, ecr:GetDownloadUrlForLayer and "
                    + "ecr:BatchCheckLayerAvailability (replacing any policy it had).")
    static final class MakePublic extends AdminCommand.Base {
        @Override
        String eventName() { return "SetRepositoryPolicy"; }

        @Override
        void describeForAudit() {
            auditParameters.put("repositoryName", repository);
            auditParameters.put("public", "true");
        }

        @Option(names = "--repository", paramLabel = "NAME", required = true) String repository;

        @Override
        int run(Identities ids, RegistryId acct, PrintStream out) {
            RepositoryName name = RepositoryName.of(repository);
            stores.services().admin(acct).require(name);
            stores.policies().setRepositoryPolicy(acct, name.value(),
                    PolicyParser.repository().parse(PUBLIC_PULL_POLICY));
            out.println("Repository " + name + " of account " + acct + " is now public (anonymous pull)");
            return 0;
        }
    }
}
