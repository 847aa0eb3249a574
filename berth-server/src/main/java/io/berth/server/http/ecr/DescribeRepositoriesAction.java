package io.berth.server.http.ecr;

import io.berth.core.model.RepositoryName;
import io.berth.core.service.RepositoryView;
import io.berth.server.http.paging.PageCursors;
import io.berth.server.http.paging.VisiblePager;
import java.util.ArrayList;
import java.util.List;

/** DescribeRepositories: by names (all must exist) or paginated, never both. */
final class DescribeRepositoriesAction implements EcrAction<DescribeRepositoriesAction.DescribeRepositoriesRequest,
        DescribeRepositoriesAction.DescribeRepositoriesResponse> {

    record DescribeRepositoriesRequest(String registryId, List<String> repositoryNames, String nextToken,
                                       Integer maxResults) implements EcrTarget.InRegistry {}

    record DescribeRepositoriesResponse(List<Shapes.Repository> repositories, String nextToken) {}

    @Override
    public Class<DescribeRepositoriesRequest> requestType() { return DescribeRepositoriesRequest.class; }

    /** Named repositories are checked one by one; a listing shows only what the caller may describe. */
    @Override
    public boolean authorizesItself() { return true; }

    @Override
    public DescribeRepositoriesResponse handle(EcrCall call, DescribeRepositoriesRequest q) {
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
        PageCursors cursors = call.context.cursors();
        String after = NextToken.openSealed(cursors, "repo", q.nextToken());
        // the token continues after the last repository shown, or a sealed position among hidden ones: never a
        // name the caller may not describe, in clear
        VisiblePager.Page<RepositoryView> page = VisiblePager.page(call.admin()::list, r -> r.name().value(),
                r -> call.may("ecr:DescribeRepositories", r.name().value()), after, limit);
        page.items().forEach(r -> out.add(Shapes.Repository.of(call, r)));
        String next = page.resume() == null ? null : NextToken.sealed(cursors, "repo", page.resume());
        return new DescribeRepositoriesResponse(out, next);
    }
}
