package io.berth.server.cli;

import io.berth.core.model.RegistryId;
import io.berth.core.replication.Replication;
import io.berth.core.replication.ReplicationConfiguration;
import io.berth.server.auth.Identities;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth admin replication}: Berth's settings beyond ECR for one destination of the registry's replication
 * configuration, kept beside the ECR configuration and never in ECR requests (the SDKs refuse unknown fields).
 * Today: {@code --propagate-deletes true|false}, whether images deleted at the source are deleted there too.
 */
@Command(name = "replication", mixinStandardHelpOptions = true,
        description = "Beyond ECR: per-destination replication settings. --propagate-deletes true makes image "
                + "deletes at the source reach the destination (REGION:ACCOUNT) as well.")
final class ReplicationCommand extends AdminCommand.Base {
    @Option(names = "--destination", paramLabel = "REGION:ACCOUNT", required = true,
            description = "A destination of a rule, e.g. eu-west-1:123456789012") String destination;

    @Option(names = "--propagate-deletes", paramLabel = "true|false", required = true, arity = "1",
            description = "Delete at the destination what is deleted at the source") boolean propagateDeletes;

    @Option(names = "--region", paramLabel = "REGION", description = "The source registry's region (default: the "
            + "first of regions)") String region;

    @Override
    String eventName() { return "PutReplicationSettings"; }

    @Override
    void describeForAudit() {
        auditParameters.put("destination", destination);
        auditParameters.put("propagateDeletes", Boolean.toString(propagateDeletes));
        auditParameters.put("region", region);
    }

    @Override
    int run(Identities ids, RegistryId acct, PrintStream out) {
        var regions = config.regions().regions();
        String in = region == null ? regions.defaultRegion() : region;
        int colon = destination.indexOf(':');
        if (!regions.serves(in) || colon < 0) {
            return refuse("InvalidParameterException", "give --destination REGION:ACCOUNT and a --region among "
                    + regions.served());
        }
        ReplicationConfiguration.Destination d = new ReplicationConfiguration.Destination(
                destination.substring(0, colon), destination.substring(colon + 1));
        Replication replication = new Replication(stores.metadata(), stores.clock(), regions);
        if (!replication.setPropagateDeletes(regions.registry(acct, in), d, propagateDeletes)) {
            return refuse("ValidationException", "no rule of " + acct + "'s replication configuration in " + in
                    + " names destination " + destination);
        }
        out.println((propagateDeletes ? "Deletes now propagate to " : "Deletes no longer propagate to ")
                + destination + " (from " + acct + " in " + in + ")");
        return 0;
    }
}
