package io.berth.server.http.ecr;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.signing.SigningArns;
import io.berth.core.signing.SigningConfiguration;
import io.berth.core.signing.ImageSigning;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ECR managed signing: PutSigningConfiguration, GetSigningConfiguration, DeleteSigningConfiguration and
 * DescribeImageSigningStatus. A rule names a Signer profile of this registry (its ARN, or one version's) and
 * repository filters of type {@code WILDCARD_MATCH}; a rule without filters covers every repository.
 */
final class SigningConfigurationActions {
    static final int MAX_RULES = 10;
    static final int MAX_FILTERS = 100;

    private SigningConfigurationActions() {}

    record Filter(String filter, String filterType) {}

    record Rule(String signingProfileArn, List<Filter> repositoryFilters) {}

    record Configuration(List<Rule> rules) {}

    record PutRequest(Configuration signingConfiguration) {}

    record ConfigurationResponse(String registryId, Configuration signingConfiguration) {}

    record EmptyRequest() {}

    record StatusRequest(String registryId, String repositoryName, Shapes.ImageIdentifier imageId)
            implements EcrTarget.InRepository {}

    record Status(String signingProfileArn, String failureCode, String failureReason, String status) {}

    record StatusResponse(String repositoryName, Shapes.ImageIdentifier imageId, String registryId,
                          List<Status> signingStatuses) {}

    static final class Put implements EcrAction<PutRequest, ConfigurationResponse> {
        @Override public Class<PutRequest> requestType() { return PutRequest.class; }

        @Override
        public ConfigurationResponse handle(EcrCall call, PutRequest q) {
            SigningConfiguration c = parse(call, q.signingConfiguration());
            call.signing().putConfiguration(call.registryId, c);
            return new ConfigurationResponse(call.registryId.value(), shape(c));
        }
    }

    static final class Get implements EcrAction<EmptyRequest, ConfigurationResponse> {
        @Override public Class<EmptyRequest> requestType() { return EmptyRequest.class; }

        @Override
        public ConfigurationResponse handle(EcrCall call, EmptyRequest q) {
            return new ConfigurationResponse(call.registryId.value(), shape(call.signing()
                    .configuration(call.registryId).orElseThrow(() -> notFound(call))));
        }
    }

    static final class Delete implements EcrAction<EmptyRequest, ConfigurationResponse> {
        @Override public Class<EmptyRequest> requestType() { return EmptyRequest.class; }

        @Override
        public ConfigurationResponse handle(EcrCall call, EmptyRequest q) {
            return new ConfigurationResponse(call.registryId.value(), shape(call.signing()
                    .deleteConfiguration(call.registryId).orElseThrow(() -> notFound(call))));
        }
    }

    static final class DescribeStatus implements EcrAction<StatusRequest, StatusResponse> {
        @Override public Class<StatusRequest> requestType() { return StatusRequest.class; }

        @Override
        public StatusResponse handle(EcrCall call, StatusRequest q) {
            ImageIds.Resolved id = ImageScanActions.resolve(call, q.imageId());
            List<Status> statuses = call.signing().statuses(call.registryId, call.repository(), id.digest()).stream()
                    .map(s -> new Status(s.profileArn(), s.failureCode(), s.failureReason(), s.status())).toList();
            return new StatusResponse(call.repository().value(), ImageScanActions.imageId(id),
                    call.registryId.value(), statuses);
        }
    }

    private static RegistryException notFound(EcrCall call) {
        return new RegistryException(ErrorCode.SIGNING_CONFIGURATION_NOT_FOUND, "Signing configuration not found "
                + "for the registry with id '" + call.registryId + "'");
    }

    /**
     * ECR's model constraints, then what only the registry knows: each profile must be one of this registry's
     * Signer profiles in this region, exist, and be Active.
     */
    static SigningConfiguration parse(EcrCall call, Configuration c) {
        ModelConstraints.required("signingConfiguration", c);
        ModelConstraints.required("signingConfiguration.rules", c.rules());
        ModelConstraints.size("signingConfiguration.rules", c.rules(), 0, MAX_RULES);
        List<SigningConfiguration.Rule> out = new ArrayList<>();
        for (int i = 0; i < c.rules().size(); i++) {
            Rule r = c.rules().get(i);
            String at = "signingConfiguration.rules." + (i + 1) + ".member";
            ModelConstraints.required(at, r);
            ModelConstraints.required(at + ".signingProfileArn", r.signingProfileArn());
            ModelConstraints.length(at + ".signingProfileArn", r.signingProfileArn(), 1, 200);
            SigningArns.ProfileArn arn = SigningArns.parseProfile(r.signingProfileArn()).orElseThrow(() ->
                    ModelConstraints.failed(at + ".signingProfileArn", r.signingProfileArn(),
                            "Member must be a signing profile ARN (arn:aws:signer:<region>:<account>:"
                                    + "/signing-profiles/<name>)"));
            // the call's registry is the account in the signed region: a profile of another region is not its own
            if (!arn.account().sameAccount(call.registryId) || !arn.region().equals(call.region)) {
                throw new RegistryException(ErrorCode.INVALID_PARAMETER, "Invalid parameter at '" + at
                        + ".signingProfileArn': the signing profile " + r.signingProfileArn() + " is not in the "
                        + "registry " + call.registryId + " in " + call.region);
            }
            Optional<ImageSigning.ProfileState> profile = call.signing().profile(call.registryId, arn.name());
            if (profile.isEmpty() || arn.version() != null && !arn.version().equals(profile.get().version())) {
                throw new RegistryException(ErrorCode.INVALID_PARAMETER, "Invalid parameter at '" + at
                        + ".signingProfileArn': the signing profile " + r.signingProfileArn() + " does not exist");
            }
            if (!"Active".equals(profile.get().status())) {
                throw new RegistryException(ErrorCode.INVALID_PARAMETER, "Invalid parameter at '" + at
                        + ".signingProfileArn': the signing profile " + r.signingProfileArn() + " is "
                        + profile.get().status());
            }
            List<String> filters = new ArrayList<>();
            if (r.repositoryFilters() != null) {
                ModelConstraints.size(at + ".repositoryFilters", r.repositoryFilters(), 1, MAX_FILTERS);
                for (int j = 0; j < r.repositoryFilters().size(); j++) {
                    Filter f = r.repositoryFilters().get(j);
                    String fat = at + ".repositoryFilters." + (j + 1) + ".member";
                    ModelConstraints.required(fat, f);
                    ModelConstraints.required(fat + ".filter", f.filter());
                    ModelConstraints.length(fat + ".filter", f.filter(), 1, 256);
                    ModelConstraints.pattern(fat + ".filter", f.filter(), ScanningConfigurationActions.FILTER);
                    ModelConstraints.required(fat + ".filterType", f.filterType());
                    ModelConstraints.oneOf(fat + ".filterType", f.filterType(), List.of("WILDCARD_MATCH"));
                    filters.add(f.filter());
                }
            }
            out.add(new SigningConfiguration.Rule(r.signingProfileArn(), filters));
        }
        return new SigningConfiguration(out);
    }

    static Configuration shape(SigningConfiguration c) {
        return new Configuration(c.rules().stream().map(r -> new Rule(r.signingProfileArn(), r.filters().isEmpty()
                ? null : r.filters().stream().map(f -> new Filter(f, "WILDCARD_MATCH")).toList())).toList());
    }
}
