package io.berth.server.http.ecr;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.pullthrough.PullThrough;
import io.berth.core.pullthrough.PullThroughRule;
import io.berth.core.pullthrough.PullThroughRules;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * CreatePullThroughCacheRule, DescribePullThroughCacheRules, UpdatePullThroughCacheRule, DeletePullThroughCacheRule
 * and ValidatePullThroughCacheRule, in ECR's shapes. The pulls themselves are {@link PullThrough}'s. Field checks
 * are {@link PullThroughInput}'s.
 */
final class PullThroughCacheActions {
    static final String TOKEN_KIND = "ptc";

    private PullThroughCacheActions() {}

    record CreateRequest(String ecrRepositoryPrefix, String upstreamRegistryUrl, String registryId,
                         String upstreamRegistry, String credentialArn, String customRoleArn,
                         String upstreamRepositoryPrefix) implements EcrTarget.InRegistry {}

    record CreateResponse(String ecrRepositoryPrefix, String upstreamRegistryUrl, BigDecimal createdAt,
                          String registryId, String upstreamRegistry, String credentialArn, String customRoleArn,
                          String upstreamRepositoryPrefix) {}

    record PrefixRequest(String ecrRepositoryPrefix, String registryId) implements EcrTarget.InRegistry {}

    record DeleteResponse(String ecrRepositoryPrefix, String upstreamRegistryUrl, BigDecimal createdAt,
                          String registryId, String credentialArn, String customRoleArn,
                          String upstreamRepositoryPrefix) {}

    record UpdateRequest(String ecrRepositoryPrefix, String registryId, String credentialArn, String customRoleArn)
            implements EcrTarget.InRegistry {}

    record UpdateResponse(String ecrRepositoryPrefix, String registryId, BigDecimal updatedAt, String credentialArn,
                          String customRoleArn, String upstreamRepositoryPrefix) {}

    record ValidateResponse(String ecrRepositoryPrefix, String registryId, String upstreamRegistryUrl,
                            String credentialArn, String customRoleArn, String upstreamRepositoryPrefix,
                            boolean isValid, String failure) {}

    record DescribeRequest(String registryId, List<String> ecrRepositoryPrefixes, String nextToken,
                           Integer maxResults) implements EcrTarget.InRegistry {}

    record Rule(String ecrRepositoryPrefix, String upstreamRegistryUrl, BigDecimal createdAt, String registryId,
                String credentialArn, String customRoleArn, String upstreamRepositoryPrefix, String upstreamRegistry,
                BigDecimal updatedAt) {}

    record DescribeResponse(List<Rule> pullThroughCacheRules, String nextToken) {}

    static final class Create implements EcrAction<CreateRequest, CreateResponse> {
        @Override public Class<CreateRequest> requestType() { return CreateRequest.class; }

        @Override
        public CreateResponse handle(EcrCall call, CreateRequest q) {
            String prefix = PullThroughInput.prefix(q.ecrRepositoryPrefix());
            String kind = PullThroughInput.upstream(q.upstreamRegistryUrl(), q.upstreamRegistry());
            PullThroughInput.credentials(q.credentialArn(), q.customRoleArn(), kind);
            String upPrefix = PullThroughInput.upstreamRepositoryPrefix(q.upstreamRepositoryPrefix());
            PullThroughRules rules = rules(call);
            call.pullThrough().requireSecret(call.registryId, q.credentialArn());
            var now = call.clock().instant();
            PullThroughRule r = rules.create(new PullThroughRule(prefix, q.upstreamRegistryUrl(), kind,
                    q.credentialArn(), null, upPrefix, now, now));
            return new CreateResponse(r.prefix(), r.upstreamRegistryUrl(), Shapes.epoch(r.createdAt()),
                    call.registryId.value(), r.upstreamRegistry(), r.credentialArn(), r.customRoleArn(),
                    r.upstreamRepositoryPrefix());
        }
    }

    static final class Update implements EcrAction<UpdateRequest, UpdateResponse> {
        @Override public Class<UpdateRequest> requestType() { return UpdateRequest.class; }

        @Override
        public UpdateResponse handle(EcrCall call, UpdateRequest q) {
            String prefix = PullThroughInput.prefix(q.ecrRepositoryPrefix());
            PullThroughRule current = rules(call).require(prefix);
            // a credential left out keeps the rule's (ECR's Update changes what it is given)
            String credentialArn = q.credentialArn() != null ? q.credentialArn() : current.credentialArn();
            PullThroughInput.credentials(credentialArn, q.customRoleArn(), current.upstreamRegistry());
            call.pullThrough().requireSecret(call.registryId, q.credentialArn());
            PullThroughRule r = rules(call).update(prefix, credentialArn, null);
            return new UpdateResponse(r.prefix(), call.registryId.value(), Shapes.epoch(r.updatedAt()),
                    r.credentialArn(), r.customRoleArn(), r.upstreamRepositoryPrefix());
        }
    }

    static final class Delete implements EcrAction<PrefixRequest, DeleteResponse> {
        @Override public Class<PrefixRequest> requestType() { return PrefixRequest.class; }

        @Override
        public DeleteResponse handle(EcrCall call, PrefixRequest q) {
            PullThroughRule r = rules(call).delete(PullThroughInput.prefix(q.ecrRepositoryPrefix()));
            return new DeleteResponse(r.prefix(), r.upstreamRegistryUrl(), Shapes.epoch(r.createdAt()),
                    call.registryId.value(), r.credentialArn(), r.customRoleArn(), r.upstreamRepositoryPrefix());
        }
    }

    /**
     * Really logs in to the upstream (the token flow included) with the rule's secret, and says whether that worked,
     * and why not.
     */
    static final class Validate implements EcrAction<PrefixRequest, ValidateResponse> {
        @Override public Class<PrefixRequest> requestType() { return PrefixRequest.class; }

        @Override
        public ValidateResponse handle(EcrCall call, PrefixRequest q) {
            PullThroughRule r = rules(call).require(PullThroughInput.prefix(q.ecrRepositoryPrefix()));
            PullThrough.Validation v = call.pullThrough().validate(call.registryId, r);
            return new ValidateResponse(r.prefix(), call.registryId.value(), r.upstreamRegistryUrl(),
                    r.credentialArn(), r.customRoleArn(), r.upstreamRepositoryPrefix(), v.valid(), v.failure());
        }
    }

    /**
     * All rules in prefix order, or those of {@code ecrRepositoryPrefixes} (a prefix without a rule is
     * PullThroughCacheRuleNotFound, as ECR answers); both paginated by prefix.
     */
    static final class Describe implements EcrAction<DescribeRequest, DescribeResponse> {
        @Override public Class<DescribeRequest> requestType() { return DescribeRequest.class; }

        @Override
        public DescribeResponse handle(EcrCall call, DescribeRequest q) {
            int limit = ModelConstraints.maxResults(q.maxResults(), 1000);
            String after = NextToken.decode(TOKEN_KIND, q.nextToken());
            PullThroughRules rules = rules(call);
            List<PullThroughRule> page;
            if (q.ecrRepositoryPrefixes() != null) {
                ModelConstraints.size("ecrRepositoryPrefixes", q.ecrRepositoryPrefixes(), 1, 100);
                TreeSet<String> wanted = new TreeSet<>();
                q.ecrRepositoryPrefixes().forEach(p -> wanted.add(PullThroughInput.prefix(p)));
                page = new ArrayList<>();
                for (String p : after == null ? wanted : wanted.tailSet(after, false)) {
                    page.add(rules.require(p));
                    if (page.size() > limit) {
                        break;
                    }
                }
            } else {
                page = new ArrayList<>(rules.list(after, limit + 1));
            }
            String next = null;
            if (page.size() > limit) {
                page = page.subList(0, limit);
                next = NextToken.encode(TOKEN_KIND, page.get(limit - 1).prefix());
            }
            return new DescribeResponse(page.stream().map(r -> new Rule(r.prefix(), r.upstreamRegistryUrl(),
                    Shapes.epoch(r.createdAt()), call.registryId.value(), r.credentialArn(), r.customRoleArn(),
                    r.upstreamRepositoryPrefix(), r.upstreamRegistry(), Shapes.epoch(r.updatedAt()))).toList(), next);
        }
    }

    private static PullThroughRules rules(EcrCall call) {
        if (call.pullThrough() == null) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, "the pull-through cache is not available here");
        }
        return call.pullThrough().rules(call.registryId);
    }
}
