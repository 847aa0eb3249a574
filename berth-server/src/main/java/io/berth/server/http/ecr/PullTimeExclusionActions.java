package io.berth.server.http.ecr;

import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;

/**
 * RegisterPullTimeUpdateExclusion, DeregisterPullTimeUpdateExclusion and ListPullTimeUpdateExclusions: IAM users
 * and roles of any account whose pulls from the caller's registry leave {@code lastRecordedPullTime} alone.
 */
final class PullTimeExclusionActions {
    static final Pattern PRINCIPAL_ARN = Pattern.compile(
            "^arn:aws[-a-z0-9]*:iam::[0-9]{12}:(user|role)\\/[A-Za-z0-9+=,.@_/-]+$");
    static final String TOKEN_KIND = "exclusion";

    private PullTimeExclusionActions() {}

    record ExclusionRequest(String principalArn) {}

    record RegisterResponse(String principalArn, BigDecimal createdAt) {}

    record DeregisterResponse(String principalArn) {}

    record ListRequest(Integer maxResults, String nextToken) {}

    record ListResponse(List<String> pullTimeUpdateExclusions, String nextToken) {}

    static final class Register implements EcrAction<ExclusionRequest, RegisterResponse> {
        @Override public Class<ExclusionRequest> requestType() { return ExclusionRequest.class; }

        @Override
        public RegisterResponse handle(EcrCall call, ExclusionRequest q) {
            String arn = principalArn(q.principalArn());
            return new RegisterResponse(arn, Shapes.epoch(call.pullExclusions().register(call.registryId, arn)));
        }
    }

    static final class Deregister implements EcrAction<ExclusionRequest, DeregisterResponse> {
        @Override public Class<ExclusionRequest> requestType() { return ExclusionRequest.class; }

        @Override
        public DeregisterResponse handle(EcrCall call, ExclusionRequest q) {
            String arn = principalArn(q.principalArn());
            call.pullExclusions().deregister(call.registryId, arn);
            return new DeregisterResponse(arn);
        }
    }

    static final class ListAll implements EcrAction<ListRequest, ListResponse> {
        @Override public Class<ListRequest> requestType() { return ListRequest.class; }

        @Override
        public ListResponse handle(EcrCall call, ListRequest q) {
            int limit = ModelConstraints.maxResults(q.maxResults(), 1000);
            String after = NextToken.decode(TOKEN_KIND, q.nextToken());
            List<String> page = call.pullExclusions().list(call.registryId, after, limit + 1);
            String next = null;
            if (page.size() > limit) {
                page = page.subList(0, limit);
                next = NextToken.encode(TOKEN_KIND, page.get(limit - 1));
            }
            return new ListResponse(page, next);
        }
    }

    private static String principalArn(String arn) {
        ModelConstraints.required("principalArn", arn);
        ModelConstraints.length("principalArn", arn, 1, 200);
        ModelConstraints.pattern("principalArn", arn, PRINCIPAL_ARN);
        return arn;
    }
}
