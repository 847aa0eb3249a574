package io.berth.server.http.ecr;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.replication.ReplicationConfiguration;
import io.berth.core.replication.ReplicationConfiguration.Destination;
import io.berth.core.replication.ImageReplicationStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * PutReplicationConfiguration and DescribeImageReplicationStatus (DescribeRegistry shows the configuration), with
 * ECR's shapes and limits: at most 10 rules, 25 distinct destinations in all, PREFIX_MATCH filters.
 */
final class ReplicationActions {
    /** ECR's RepositoryFilterValue pattern; length 2..256. */
    static final String FILTER_PATTERN = "^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$";
    static final int MAX_RULES = 10;
    static final int MAX_DESTINATIONS = 25;

    private ReplicationActions() {}

    record DestinationShape(String region, String registryId) {}

    record FilterShape(String filter, String filterType) {}

    record RuleShape(List<DestinationShape> destinations, List<FilterShape> repositoryFilters) {}

    record ConfigurationShape(List<RuleShape> rules) {}

    record PutRequest(ConfigurationShape replicationConfiguration) {}

    record PutResponse(ConfigurationShape replicationConfiguration) {}

    record StatusRequest(String registryId, String repositoryName, Shapes.ImageIdentifier imageId)
            implements EcrTarget.InRepository {}

    record StatusShape(String region, String registryId, String status, String failureCode) {}

    record StatusResponse(String repositoryName, Shapes.ImageIdentifier imageId,
                          List<StatusShape> replicationStatuses) {}

    static final class Put implements EcrAction<PutRequest, PutResponse> {
        @Override public Class<PutRequest> requestType() { return PutRequest.class; }

        @Override
        public PutResponse handle(EcrCall call, PutRequest q) {
            ReplicationConfiguration c = parse(call, q.replicationConfiguration());
            call.context.replication().putConfiguration(call.registryId, c);
            return new PutResponse(shape(c));
        }
    }

    static final class Describe implements EcrAction<StatusRequest, StatusResponse> {
        @Override public Class<StatusRequest> requestType() { return StatusRequest.class; }

        @Override
        public StatusResponse handle(EcrCall call, StatusRequest q) {
            ImageIds.Resolved id = ImageScanActions.resolve(call, q.imageId());
            List<StatusShape> out = new ArrayList<>();
            for (ImageReplicationStatus s : call.context.replication().statuses(call.registryId, call.repository(),
                    id.digest())) {
                out.add(new StatusShape(s.region(), s.registryId(), s.status(), s.failureCode()));
            }
            return new StatusResponse(call.repository().value(), new Shapes.ImageIdentifier(id.digest().toString(),
                    id.tag() == null ? null : id.tag().value()), out);
        }
    }

    static ConfigurationShape shape(ReplicationConfiguration c) {
        List<RuleShape> rules = new ArrayList<>();
        for (ReplicationConfiguration.Rule r : c.rules()) {
            rules.add(new RuleShape(r.destinations().stream().map(d -> new DestinationShape(d.region(),
                    d.registryId())).toList(), r.prefixes().isEmpty() ? null
                    : r.prefixes().stream().map(p -> new FilterShape(p, "PREFIX_MATCH")).toList()));
        }
        return new ConfigurationShape(rules);
    }

    static ReplicationConfiguration parse(EcrCall call, ConfigurationShape shape) {
        Validation.required("replicationConfiguration", shape);
        Validation.required("replicationConfiguration.rules", shape.rules());
        Validation.size("replicationConfiguration.rules", shape.rules(), 0, MAX_RULES);
        List<ReplicationConfiguration.Rule> rules = new ArrayList<>();
        for (int i = 0; i < shape.rules().size(); i++) {
            RuleShape r = shape.rules().get(i);
            String at = "replicationConfiguration.rules." + (i + 1);
            Validation.required(at, r);
            Validation.required(at + ".destinations", r.destinations());
            Validation.size(at + ".destinations", r.destinations(), 0, 100);
            Validation.size(at + ".repositoryFilters", r.repositoryFilters(), 1, 100);
            List<Destination> destinations = new ArrayList<>();
            for (DestinationShape d : r.destinations()) {
                Validation.required(at + ".destinations.member", d);
                Validation.required(at + ".destinations.member.region", d.region());
                Validation.pattern(at + ".destinations.member.region", d.region(), "[0-9a-z-]{2,25}");
                Validation.required(at + ".destinations.member.registryId", d.registryId());
                Validation.pattern(at + ".destinations.member.registryId", d.registryId(), "[0-9]{12}");
                Destination dest = new Destination(d.region(), d.registryId());
                if (ReplicationConfiguration.isSource(dest, call.registryId, call.region)) {
                    throw new RegistryException(ErrorCode.INVALID_PARAMETER,
                            "Replication destination cannot be the same as the source registry");
                }
                destinations.add(dest);
            }
            List<String> prefixes = new ArrayList<>();
            for (FilterShape f : r.repositoryFilters() == null ? List.<FilterShape>of() : r.repositoryFilters()) {
                Validation.required(at + ".repositoryFilters.member", f);
                Validation.required(at + ".repositoryFilters.member.filter", f.filter());
                Validation.length(at + ".repositoryFilters.member.filter", f.filter(), 2, 256);
                Validation.pattern(at + ".repositoryFilters.member.filter", f.filter(), FILTER_PATTERN);
                Validation.required(at + ".repositoryFilters.member.filterType", f.filterType());
                if (!f.filterType().equals("PREFIX_MATCH")) {
                    throw Validation.invalid(at + ".repositoryFilters.member.filterType",
                            "Member must satisfy enum value set: [PREFIX_MATCH]");
                }
                prefixes.add(f.filter());
            }
            rules.add(new ReplicationConfiguration.Rule(destinations, prefixes));
        }
        ReplicationConfiguration c = new ReplicationConfiguration(rules);
        if (c.allDestinations().size() > MAX_DESTINATIONS) {
            throw new RegistryException(ErrorCode.INVALID_PARAMETER, "Replication configuration can have at most "
                    + MAX_DESTINATIONS + " unique destinations across all rules, got " + c.allDestinations().size());
        }
        return c;
    }
}
