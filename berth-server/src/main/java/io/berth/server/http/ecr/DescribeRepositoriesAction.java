package io.berth.server.http.ecr;

import io.berth.core.model.RepositoryName;
import io.berth.core.spi.meta.RepositoryRecord;
import java.util.ArrayList;
import java.util.List;

/** DescribeRepositories: by names (all must exist) or paginated, never both. */
final class DescribeRepositoriesAction implements EcrAction<DescribeRepositoriesAction.DescribeRepositoriesRequest,
        DescribeRepositoriesAction.DescribeRepositoriesResponse> {

    record DescribeRepositoriesRequest(String registryId, List<String> repositoryNames, String nextToken,
                                       Integer maxResults) {}

    record DescribeRepositoriesResponse(List<Shapes.Repository> repositories, String nextToken) {}

    @Override
    public String name() { return "DescribeRepositories"; }

    @Override
    public Class<DescribeRepositoriesRequest> requestType() { return DescribeRepositoriesRequest.class; }

    /** Named repositories are checked one by one; a listing shows only what the caller may describe. */
    @Override
    public boolean authorizesItself() { return true; }

    @Override
    public DescribeRepositoriesResponse handle(EcrCall call, DescribeRepositoriesRequest q) {
        call.checkRegistryId(q.registryId());
        List<Shapes.Repository> out = new ArrayList<>();
        if (q.repositoryNames() != null) {
            Validation.size("repositoryNames", q.repositoryNames(), 1, 100);
            if (q.nextToken() != null || q.maxResults() != null) {
                throw Validation.invalid("maxResults",
                        "maxResults and nextToken cannot be specified together with repositoryNames");
            }
            for (String n : q.repositoryNames()) {
                RepositoryName name = Validation.repositoryName("repositoryNames.member", n);
                call.require("ecr:DescribeRepositories", name.value());
                out.add(Shapes.Repository.of(call, call.admin().require(name)));
            }
            return new DescribeRepositoriesResponse(out, null);
        }
        int limit = Validation.maxResults(q.maxResults(), 1000);
        String after = NextToken.decode("repo", q.nextToken());
        List<RepositoryRecord> page = call.admin().list(after, limit + 1);
        for (RepositoryRecord r : page.subList(0, Math.min(limit, page.size()))) {
            if (call.may("ecr:DescribeRepositories", r.name().value())) {
                out.add(Shapes.Repository.of(call, r));
            }
        }
        String next = page.size() > limit ? NextToken.encode("repo", page.get(limit - 1).name().value()) : null;
        return new DescribeRepositoriesResponse(out, next);
    }
}
