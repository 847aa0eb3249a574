package io.berth.server.cli;

import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.replication.Replication;
import io.berth.server.auth.Identities;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth admin replicate --backfill}: beyond ECR, which replicates only images pushed after a rule exists,
 * queues the replication of the images that already exist, to the destinations the registry's replication
 * configuration names now. The running server's job runner copies them; DescribeImageReplicationStatus shows it.
 */
@Command(name = "replicate", mixinStandardHelpOptions = true,
        description = "Beyond ECR: --backfill queues the replication of existing images to the destinations of the "
                + "registry's replication configuration (a running server copies them).")
final class ReplicateCommand extends AdminCommand.Base {
    @Option(names = "--backfill", required = true, description = "Queue every existing image") boolean backfill;

    @Option(names = "--region", paramLabel = "REGION", description = "The source registry's region (default: the "
            + "first of regions)") String region;

    @Option(names = "--repository", paramLabel = "NAME", description = "Only this repository") String repository;

    @Override
    String eventName() { return "ReplicateBackfill"; }

    @Override
    void describeForAudit() {
        auditParameters.put("region", region);
        auditParameters.put("repositoryName", repository);
    }

    @Override
    int run(Identities ids, RegistryId acct, PrintStream out) {
        var regions = config.regions().regions();
        String in = region == null ? regions.defaultRegion() : region;
        if (!regions.serves(in)) {
            return refuse("InvalidParameterException", "this deployment serves " + regions.served() + ", not " + in);
        }
        RegistryId source = regions.registry(acct, in);
        Replication replication = new Replication(stores.metadata(), stores.clock(), regions);
        if (replication.configuration(source).rules().isEmpty()) {
            return refuse("ValidationException", "registry " + acct + " in " + in + " has no replication "
                    + "configuration (aws ecr put-replication-configuration --region " + in + ")");
        }
        Progress progress = Progress.onStderr("backfill");
        progress.phase("repositories", repository == null ? -1 : 1);
        int n = replication.backfill(source, repository == null ? null : RepositoryName.of(repository),
                (repositories, jobs) -> progress.update(repositories, "(" + jobs + " jobs queued)"));
        progress.clear();
        out.println("Queued " + n + " replication jobs for the existing images of " + acct + " in " + in
                + (repository == null ? "" : " (repository " + repository + ")"));
        return 0;
    }
}
