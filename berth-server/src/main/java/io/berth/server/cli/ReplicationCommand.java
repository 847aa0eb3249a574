package io.berth.server.cli;

import io.berth.core.model.RegistryId;
import io.berth.core.replication.Replication;
import io.berth.core.replication.ReplicationConfiguration;
import io.berth.server.auth.Identities;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth admin replication}: Berth's settings beyond ECR for one destination of the registry's replication
 * configuration, kept beside the ECR configuration and never in ECR requests (the SDKs refuse unknown fields):
 * {@code --propagate-deletes}, {@code --propagate-tag-moves} and {@code --tag-filter}. Given none, it prints the
 * destination's settings.
 */
@Command(name = "replication", mixinStandardHelpOptions = true,
        description = "Beyond ECR: per-destination replication settings. --propagate-deletes true makes image "
                + "deletes at the source reach the destination (REGION:ACCOUNT) as well; --propagate-tag-moves true "
                + "makes a tag added to or moved onto an existing image move there too; --tag-filter PATTERN "
                + "(repeatable; * is any run of characters, the whole tag must match, so v1.* is a prefix) "
                + "replicates only images with a matching tag (--clear-tag-filter: every image again).")
final class ReplicationCommand extends AdminCommand.Base {
    @Option(names = "--destination", paramLabel = "REGION:ACCOUNT", required = true,
            description = "A destination of a rule, e.g. eu-west-1:123456789012") String destination;

    @Option(names = "--propagate-deletes", paramLabel = "true|false", arity = "1",
            description = "Delete at the destination what is deleted at the source") Boolean propagateDeletes;

    @Option(names = "--propagate-tag-moves", paramLabel = "true|false", arity = "1",
            description = "Move the destination's tag when a tag moves onto an existing image at the source")
    Boolean propagateTagMoves;

    @Option(names = "--tag-filter", paramLabel = "PATTERN", description = "Replicate only images with a tag "
            + "matching PATTERN (repeatable; replaces the destination's filter)") List<String> tagFilter;

    @Option(names = "--clear-tag-filter", description = "Replicate every image to the destination again")
    boolean clearTagFilter;

    @Option(names = "--region", paramLabel = "REGION", description = "The source registry's region (default: the "
            + "first of regions)") String region;

    @Override
    String eventName() { return "PutReplicationSettings"; }

    @Override
    void describeForAudit() {
        auditParameters.put("destination", destination);
        auditParameters.put("propagateDeletes", propagateDeletes == null ? null : propagateDeletes.toString());
        auditParameters.put("propagateTagMoves", propagateTagMoves == null ? null : propagateTagMoves.toString());
        auditParameters.put("tagFilter", tagFilter == null ? null : String.join(",", tagFilter));
        auditParameters.put("clearTagFilter", clearTagFilter ? "true" : null);
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
        if (tagFilter != null && clearTagFilter) {
            return refuse("InvalidParameterException", "give --tag-filter or --clear-tag-filter, not both");
        }
        if (tagFilter != null) {
            for (String p : tagFilter) {
                // a tag is [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}; a pattern adds only '*'
                if (!p.matches("[a-zA-Z0-9._*-]{1,128}")) {
                    return refuse("InvalidParameterException", "tag filter '" + p + "' may hold only the "
                            + "characters of a tag and *");
                }
            }
        }
        ReplicationConfiguration.Destination d = new ReplicationConfiguration.Destination(
                destination.substring(0, colon), destination.substring(colon + 1));
        List<String> said = new ArrayList<>();
        UnaryOperator<ReplicationConfiguration> change = c -> {
            said.clear(); // a retried transaction runs the change again
            ReplicationConfiguration next = c;
            if (propagateDeletes != null) {
                next = next.withPropagateDeletes(d, propagateDeletes);
                said.add(propagateDeletes ? "Deletes now propagate to " + destination
                        : "Deletes no longer propagate to " + destination);
            }
            if (propagateTagMoves != null) {
                next = next.withPropagateTagMoves(d, propagateTagMoves);
                said.add(propagateTagMoves ? "Tag moves now propagate to " + destination
                        : "Tag moves no longer propagate to " + destination);
            }
            if (tagFilter != null || clearTagFilter) {
                next = next.withTagFilter(d, clearTagFilter ? List.of() : tagFilter);
                said.add(clearTagFilter ? "Every image replicates to " + destination
                        : "Only images tagged " + String.join(" or ", tagFilter) + " replicate to " + destination);
            }
            said.add(destination + ": propagate-deletes " + next.propagateDeletes().contains(d)
                    + ", propagate-tag-moves " + next.propagateTagMoves().contains(d) + ", tag-filter "
                    + (next.tagFilter(d).isEmpty() ? "(none)" : String.join(",", next.tagFilter(d))));
            return next;
        };
        Replication replication = new Replication(stores.metadata(), stores.clock(), regions);
        if (!replication.updateDestination(regions.registry(acct, in), d, change)) {
            return refuse("ValidationException", "no rule of " + acct + "'s replication configuration in " + in
                    + " names destination " + destination);
        }
        for (int i = 0; i < said.size(); i++) {
            out.println(said.get(i) + (i < said.size() - 1 ? " (from " + acct + " in " + in + ")" : ""));
        }
        return 0;
    }
}
