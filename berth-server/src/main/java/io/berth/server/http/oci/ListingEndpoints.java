package io.berth.server.http.oci;

import io.berth.core.model.Digest;
import io.berth.core.model.Descriptor;
import io.berth.core.model.MediaTypes;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import io.berth.core.service.RegistryService.Page;
import io.berth.server.http.paging.PageCursors;
import io.berth.server.http.paging.VisiblePager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;

/** Tag list, catalog and referrers: the read-only JSON listings. */
final class ListingEndpoints {
    private static final String JSON = "application/json";
    /** The kind catalog cursors are sealed for, so no other listing's cursor opens here. */
    static final String CURSOR_KIND = "catalog";

    private final PageCursors cursors;

    ListingEndpoints(PageCursors cursors) {
        this.cursors = cursors;
    }

    record TagList(String name, List<String> tags) {}

    record Catalog(List<String> repositories) {}

    record Index(int schemaVersion, String mediaType, List<Entry> manifests) {}

    record Entry(String mediaType, String digest, long size, String artifactType, Map<String, String> annotations) {}

    void tags(Exchange ex) {
        RepositoryName repo = ex.repo();
        int n = Pagination.parseN(ex.query("n"));
        String last = ex.query("last");
        List<String> tags = new ArrayList<>();
        if (n > 0) {
            Page<Tag> page = ex.service.listTags(repo, last, n);
            page.items().forEach(t -> tags.add(t.value()));
            if (page.hasMore() && !tags.isEmpty()) {
                ex.header(HttpHeader.LINK,
                        Pagination.link("/v2/" + repo.value() + "/tags/list", tags.get(tags.size() - 1), n));
            }
        }
        ex.sendJson(200, JSON, new TagList(repo.value(), tags));
    }

    /**
     * Only the names the caller may describe, and a {@code Link} that reveals no other: it continues after the last
     * name shown, or, when the page stopped at its read bound among hidden names, after a sealed position.
     */
    void catalog(Exchange ex) {
        int n = Pagination.parseN(ex.query("n"));
        String after = Pagination.start(ex.query("last"), cursors, CURSOR_KIND);
        VisiblePager.Page<RepositoryName> page = VisiblePager.page((from, limit) -> ex.service.catalog(from, limit)
                .items(), RepositoryName::value, name -> ex.access.may("ecr:DescribeRepositories", name.value()),
                after, n);
        List<String> names = new ArrayList<>(page.items().size());
        page.items().forEach(name -> names.add(name.value()));
        if (page.resume() != null) {
            ex.header(HttpHeader.LINK, Pagination.link("/v2/_catalog", Pagination.resume(page, cursors, CURSOR_KIND),
                    n));
        }
        ex.sendJson(200, JSON, new Catalog(names));
    }

    /** An OCI index of the manifests whose subject is the digest; an unknown digest is an empty index. */
    void referrers(Exchange ex) {
        RepositoryName repo = ex.repo();
        Digest subject = Digest.parse(ex.arg());
        String artifactType = ex.query("artifactType");
        if (artifactType != null && artifactType.isEmpty()) {
            artifactType = null;
        }
        List<Entry> entries = new ArrayList<>();
        for (Descriptor d : ex.service.referrers(repo, subject, artifactType)) {
            entries.add(new Entry(d.mediaType(), d.digest().toString(), d.size(), d.artifactType(),
                    d.annotations().isEmpty() ? null : d.annotations()));
        }
        if (artifactType != null) {
            ex.header("OCI-Filters-Applied", "artifactType");
        }
        ex.sendJson(200, MediaTypes.OCI_INDEX, new Index(2, MediaTypes.OCI_INDEX, entries));
    }
}
