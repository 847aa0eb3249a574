package io.berth.server.http.ecr;

import io.berth.core.manifest.ManifestParser;
import io.berth.core.model.Digest;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.ManifestView;
import java.util.ArrayList;
import java.util.List;

/** ListImageReferrers: manifests whose subject is the given digest, optionally by artifact type (at most 5). */
final class ListImageReferrersAction implements EcrAction<ListImageReferrersAction.ListImageReferrersRequest,
        ListImageReferrersAction.ListImageReferrersResponse> {

    record SubjectIdentifier(String imageDigest) {}

    record ListImageReferrersFilter(List<String> artifactTypes, String artifactStatus) {}

    record ListImageReferrersRequest(String registryId, String repositoryName, SubjectIdentifier subjectId,
                                     ListImageReferrersFilter filter, String nextToken, Integer maxResults)
            implements EcrTarget.InRepository {}

    record ListImageReferrersResponse(List<Shapes.ImageReferrer> referrers, String nextToken) {}

    @Override
    public Class<ListImageReferrersRequest> requestType() { return ListImageReferrersRequest.class; }

    @Override
    public ListImageReferrersResponse handle(EcrCall call, ListImageReferrersRequest q) {
        RepositoryName repo = call.repository();
        Validation.required("subjectId", q.subjectId());
        Digest subject = Validation.digest("subjectId.imageDigest", q.subjectId().imageDigest());
        List<String> types = q.filter() == null ? null : q.filter().artifactTypes();
        Validation.size("filter.artifactTypes", types, 1, 5);
        if (q.filter() != null) {
            Validation.oneOf("filter.artifactStatus", q.filter().artifactStatus(),
                    List.of("ACTIVE", "ARCHIVED", "ACTIVATING", "ANY"));
        }
        int limit = Validation.maxResults(q.maxResults(), 50);
        String after = NextToken.decode("referrer", q.nextToken());
        call.admin().require(repo);
        List<Shapes.ImageReferrer> out = new ArrayList<>();
        String next = null;
        for (ManifestView m : call.images().referrers(repo, subject)) {
            if ((after != null && m.digest().toString().compareTo(after) <= 0)
                    || (types != null && !types.contains(m.artifactType()))) {
                continue;
            }
            if (out.size() == limit) {
                next = NextToken.encode("referrer", out.get(limit - 1).digest());
                break;
            }
            out.add(new Shapes.ImageReferrer(m.digest().toString(), m.mediaType(), m.artifactType(), m.size(),
                    ManifestParser.parse(m.mediaType(), m.content()).annotations(), "ACTIVE"));
        }
        return new ListImageReferrersResponse(out, next);
    }
}
