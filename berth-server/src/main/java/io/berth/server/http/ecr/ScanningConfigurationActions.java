package io.berth.server.http.ecr;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.event.EventRecorder;
import io.berth.core.model.RepositoryName;
import io.berth.core.scanning.EffectiveScanning;
import io.berth.core.scanning.RegistryScanningConfiguration;
import io.berth.core.scanning.ScanFrequency;
import io.berth.core.scanning.ScanType;
import io.berth.core.scanning.ScanningRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * PutRegistryScanningConfiguration, GetRegistryScanningConfiguration, BatchGetRepositoryScanningConfiguration and
 * the deprecated PutImageScanningConfiguration (a repository's {@code scanOnPush}).
 */
final class ScanningConfigurationActions {
    /** ECR's ScanningRepositoryFilter pattern. */
    static final Pattern FILTER = Pattern.compile("^[a-z0-9*](?:[._\\-/a-z0-9*]?[a-z0-9*]+)*$");

    private ScanningConfigurationActions() {}

    record Filter(String filter, String filterType) {}

    record Rule(String scanFrequency, List<Filter> repositoryFilters) {}

    record Configuration(String scanType, List<Rule> rules) {}

    record PutRegistryRequest(String scanType, List<Rule> rules) {}

    record PutRegistryResponse(Configuration registryScanningConfiguration) {}

    record GetRegistryRequest() {}

    record GetRegistryResponse(String registryId, Configuration scanningConfiguration) {}

    record BatchGetRequest(List<String> repositoryNames) {}

    record RepositoryConfiguration(String repositoryArn, String repositoryName, Boolean scanOnPush,
                                   String scanFrequency, List<Filter> appliedScanFilters) {}

    record Failure(String repositoryName, String failureCode, String failureReason) {}

    record BatchGetResponse(List<RepositoryConfiguration> scanningConfigurations, List<Failure> failures) {}

    record PutImageRequest(String registryId, String repositoryName,
                           Shapes.ImageScanningConfiguration imageScanningConfiguration)
            implements EcrTarget.InRepository {}

    record PutImageResponse(String registryId, String repositoryName,
                            Shapes.ImageScanningConfiguration imageScanningConfiguration) {}

    static final class PutRegistry implements EcrAction<PutRegistryRequest, PutRegistryResponse> {
        @Override public Class<PutRegistryRequest> requestType() { return PutRegistryRequest.class; }

        @Override
        public PutRegistryResponse handle(EcrCall call, PutRegistryRequest q) {
            RegistryScanningConfiguration c = parse(q);
            call.scanning().putConfiguration(call.registryId, c, EventRecorder.actor(call.principal));
            return new PutRegistryResponse(shape(c));
        }
    }

    static final class GetRegistry implements EcrAction<GetRegistryRequest, GetRegistryResponse> {
        @Override public Class<GetRegistryRequest> requestType() { return GetRegistryRequest.class; }

        @Override
        public GetRegistryResponse handle(EcrCall call, GetRegistryRequest q) {
            return new GetRegistryResponse(call.registryId.value(),
                    shape(call.scanning().configuration(call.registryId)));
        }
    }

    static final class BatchGet implements EcrAction<BatchGetRequest, BatchGetResponse> {
        @Override public Class<BatchGetRequest> requestType() { return BatchGetRequest.class; }

        @Override
        public BatchGetResponse handle(EcrCall call, BatchGetRequest q) {
            ModelConstraints.required("repositoryNames", q.repositoryNames());
            ModelConstraints.size("repositoryNames", q.repositoryNames(), 1, 25);
            List<RepositoryName> names = new ArrayList<>();
            for (String n : q.repositoryNames()) {
                names.add(Validation.repositoryName("repositoryNames", n));
            }
            Map<RepositoryName, Optional<EffectiveScanning>> effective = call.scanning().effective(call.registryId,
                    names);
            List<RepositoryConfiguration> found = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            effective.forEach((name, e) -> {
                if (e.isEmpty()) {
                    failures.add(new Failure(name.value(), "REPOSITORY_NOT_FOUND", "REPOSITORY_NOT_FOUND"));
                } else {
                    found.add(new RepositoryConfiguration(call.repositoryArn(name), name.value(),
                            e.get().scanOnPush(), e.get().frequency().name(), e.get().appliedFilters().stream()
                            .map(f -> new Filter(f, "WILDCARD")).toList()));
                }
            });
            return new BatchGetResponse(found, failures);
        }
    }

    static final class PutImage implements EcrAction<PutImageRequest, PutImageResponse> {
        @Override public Class<PutImageRequest> requestType() { return PutImageRequest.class; }

        @Override
        public PutImageResponse handle(EcrCall call, PutImageRequest q) {
            Validation.required("imageScanningConfiguration", q.imageScanningConfiguration());
            boolean scanOnPush = Boolean.TRUE.equals(q.imageScanningConfiguration().scanOnPush());
            call.scanning().setScanOnPush(call.registryId, call.repository(), scanOnPush,
                    EventRecorder.actor(call.principal));
            return new PutImageResponse(call.registryId.value(), call.repository().value(),
                    new Shapes.ImageScanningConfiguration(scanOnPush));
        }
    }

    /** ECR's model constraints, then the pairings of scan type and frequency ECR allows (§2.9). */
    static RegistryScanningConfiguration parse(PutRegistryRequest q) {
        String typeText = q.scanType() == null ? "BASIC" : q.scanType();
        ModelConstraints.oneOf("scanType", typeText, List.of("BASIC", "ENHANCED"));
        ScanType type = ScanType.valueOf(typeText);
        List<Rule> rules = q.rules() == null ? List.of() : q.rules();
        ModelConstraints.size("rules", rules, 0, 2);
        List<ScanningRule> out = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            String at = "rules." + (i + 1) + ".member";
            ModelConstraints.required(at, r);
            ModelConstraints.required(at + ".scanFrequency", r.scanFrequency());
            ModelConstraints.oneOf(at + ".scanFrequency", r.scanFrequency(),
                    List.of("SCAN_ON_PUSH", "CONTINUOUS_SCAN", "MANUAL"));
            ModelConstraints.required(at + ".repositoryFilters", r.repositoryFilters());
            ModelConstraints.size(at + ".repositoryFilters", r.repositoryFilters(), 0, 100);
            ScanFrequency f = ScanFrequency.valueOf(r.scanFrequency());
            boolean allowed = type == ScanType.ENHANCED ? f != ScanFrequency.MANUAL : f == ScanFrequency.SCAN_ON_PUSH;
            if (!allowed) {
                throw new RegistryException(ErrorCode.INVALID_PARAMETER, "Invalid parameter at 'rules' failed to "
                        + "satisfy constraint: 'scanFrequency " + f + " is not supported for scan type " + type
                        + " (BASIC supports SCAN_ON_PUSH; ENHANCED supports SCAN_ON_PUSH and CONTINUOUS_SCAN)'");
            }
            List<String> filters = new ArrayList<>();
            for (int j = 0; j < r.repositoryFilters().size(); j++) {
                Filter filter = r.repositoryFilters().get(j);
                String fat = at + ".repositoryFilters." + (j + 1) + ".member";
                ModelConstraints.required(fat, filter);
                ModelConstraints.required(fat + ".filter", filter.filter());
                ModelConstraints.length(fat + ".filter", filter.filter(), 1, 256);
                ModelConstraints.pattern(fat + ".filter", filter.filter(), FILTER);
                ModelConstraints.required(fat + ".filterType", filter.filterType());
                ModelConstraints.oneOf(fat + ".filterType", filter.filterType(), List.of("WILDCARD"));
                filters.add(filter.filter());
            }
            out.add(new ScanningRule(f, filters));
        }
        return new RegistryScanningConfiguration(type, out);
    }

    static Configuration shape(RegistryScanningConfiguration c) {
        return new Configuration(c.scanType().name(), c.rules().stream().map(r -> new Rule(r.frequency().name(),
                r.filters().stream().map(f -> new Filter(f, "WILDCARD")).toList())).toList());
    }
}
