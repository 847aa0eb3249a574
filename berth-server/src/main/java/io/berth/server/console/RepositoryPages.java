package io.berth.server.console;

import io.berth.core.model.Digest;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import io.berth.core.model.TagMutability;
import io.berth.core.scanning.ImageScan;
import io.berth.core.scanning.ImageScanning.ImageTimes;
import io.berth.core.service.ImageCatalog;
import io.berth.core.service.ImageCatalog.Image;
import io.berth.core.service.RepositoryView;
import io.berth.server.console.ConsoleHandler.Reply;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The repositories list (search, create) and one repository's page: its settings and its images. */
final class RepositoryPages {
    /** One page of the console lists at most this many; the search narrows it. */
    static final int LIMIT = 200;
    private final ConsolePages pages;

    RepositoryPages(ConsolePages pages) {
        this.pages = pages;
    }

    /**
     * One page of at most {@link #LIMIT} repositories the principal may describe (DescribeRepositories per
     * repository), keyset-paged by name: {@code after} for the next page, {@code before} for the previous one.
     */
    Reply list(ConsoleView v, Map<String, String> params) {
        String q = params.getOrDefault("q", "").trim();
        String before = blankToNull(params.get("before"));
        String after = before == null ? blankToNull(params.get("after")) : null;
        List<RepositoryView> shown = visible(v, q, before != null ? before : after, before != null);
        boolean more = shown.size() > LIMIT;
        if (more) {
            shown = shown.subList(0, LIMIT);
        }
        if (before != null) {
            shown = new java.util.ArrayList<>(shown);
            java.util.Collections.reverse(shown);
        }
        StringBuilder rows = new StringBuilder();
        for (RepositoryView r : shown) {
            String name = r.name().value();
            rows.append(Html.row(Html.link(ConsolePages.repositoryLink(name), name), r.createdAt(),
                    r.settings().tagMutability(), r.settings().scanOnPush() ? "on push" : "manual"));
        }
        boolean hasPrevious = before != null ? more : after != null;
        boolean hasNext = before != null || more;
        String query = q.isEmpty() ? "" : "q=" + Html.url(q) + "&";
        String body = "<form method=\"get\" action=\"/console/repositories\" role=\"search\">"
                + "<label for=\"q\">Search repositories</label> <input id=\"q\" name=\"q\" value=\"" + Html.text(q)
                + "\"> <button type=\"submit\">Search</button></form>"
                + Html.table("Repositories", new String[] {"Name", "Created", "Tag mutability", "Scanning"}, rows)
                + Html.pager(hasPrevious && !shown.isEmpty() ? "/console/repositories?" + query + "before="
                        + Html.url(shown.get(0).name().value()) : null, hasNext && !shown.isEmpty()
                        ? "/console/repositories?" + query + "after=" + Html.url(shown.get(shown.size() - 1).name()
                        .value()) : null)
                + createForm(v);
        return Reply.page(200, Html.page("Repositories", v.who(), v.csrf(), body));
    }

    /** Up to LIMIT + 1 describable repositories matching {@code q} from {@code from} on, forwards or backwards. */
    private List<RepositoryView> visible(ConsoleView v, String q, String from, boolean backwards) {
        List<RepositoryView> out = new java.util.ArrayList<>();
        String cursor = from;
        while (out.size() <= LIMIT) {
            List<RepositoryView> batch = backwards ? pages.services.admin(v.account()).listBefore(cursor, 500)
                    : pages.services.admin(v.account()).list(cursor, 500);
            for (RepositoryView r : batch) {
                String name = r.name().value();
                if ((q.isEmpty() || name.contains(q)) && pages.may(v, "ecr:DescribeRepositories", name)
                        && out.size() <= LIMIT) {
                    out.add(r);
                }
            }
            if (batch.size() < 500) {
                break;
            }
            cursor = batch.get(batch.size() - 1).name().value();
        }
        return out;
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String createForm(ConsoleView v) {
        return "<h2>Create a repository</h2><form method=\"post\" action=\"/console/repositories\">"
                + Html.csrfField(v.csrf())
                + "<p><label for=\"name\">Repository name</label><br><input id=\"name\" name=\"name\" required></p>"
                + "<p><label for=\"mutability\">Tag mutability</label><br>"
                + "<select id=\"mutability\" name=\"mutability\">"
                + "<option value=\"MUTABLE\">MUTABLE</option><option value=\"IMMUTABLE\">IMMUTABLE</option>"
                + "</select></p><p><input type=\"checkbox\" id=\"scanOnPush\" name=\"scanOnPush\" value=\"true\"> "
                + "<label for=\"scanOnPush\">Scan on push</label></p>"
                + "<p><button type=\"submit\">Create repository</button></p></form>";
    }

    Reply create(ConsoleView v, Map<String, String> params) {
        RepositoryName name = RepositoryName.of(params.getOrDefault("name", "").trim());
        pages.require(v, "ecr:CreateRepository", name.value());
        TagMutability mutability = "IMMUTABLE".equals(params.get("mutability")) ? TagMutability.IMMUTABLE
                : TagMutability.MUTABLE;
        RepositoryView.Settings s = RepositoryView.Settings.DEFAULT;
        pages.services.admin(v.account(), pages.actor(v)).create(name, new RepositoryView.Settings(mutability,
                List.of(), "true".equals(params.get("scanOnPush")), s.encryptionType(), s.kmsKey()), Map.of());
        return Reply.redirect(ConsolePages.repositoryLink(name.value()));
    }

    Reply show(ConsoleView v, RepositoryName name, Map<String, String> params) {
        pages.require(v, "ecr:DescribeRepositories", name.value());
        RepositoryView r = pages.services.admin(v.account()).require(name);
        RepositoryView.Settings s = r.settings();
        StringBuilder body = new StringBuilder("<h2>Settings</h2><dl>")
                .append("<dt>Tag mutability</dt><dd>").append(Html.text(s.tagMutability()))
                .append(s.exclusionFilters().isEmpty() ? "" : " (except " + Html.text(String.join(", ",
                        s.exclusionFilters())) + ")").append("</dd>")
                .append("<dt>Scanning</dt><dd>").append(pages.scanning.scansOnPush(v.account(), name)
                        ? "scan on push" : pages.scanning.scansContinuously(v.account(), name) ? "continuous"
                        : "manual").append("</dd>")
                .append("<dt>Encryption</dt><dd>").append(Html.text(s.encryptionType()))
                .append(s.kmsKey() == null ? "" : " with " + Html.text(s.kmsKey())).append("</dd>")
                .append("<dt>Resource tags</dt><dd>").append(Html.text(resourceTags(v, name))).append("</dd></dl>")
                .append("<p>").append(Html.link(SettingsPage.link(name), "Edit settings").html()).append(" · ")
                .append(Html.link(PolicyPages.link(name), "Repository policy").html()).append(" · ")
                .append(Html.link("/console/lifecycle?repository=" + Html.url(name.value()),
                        "Lifecycle policy").html()).append("</p>");
        if (pages.may(v, "ecr:DescribeImages", name.value())) {
            body.append(images(v, name, params.get("after")));
        } else {
            body.append("<p>You may not describe this repository's images (ecr:DescribeImages).</p>");
        }
        return Reply.page(200, Html.page("Repository " + name.value(), v.who(), v.csrf(), body.toString()));
    }

    /** {@code key=value, …}, when the principal may ListTagsForResource (else a note saying so). */
    private String resourceTags(ConsoleView v, RepositoryName name) {
        if (!pages.may(v, "ecr:ListTagsForResource", name.value())) {
            return "(not shown: ecr:ListTagsForResource is not allowed)";
        }
        return pages.services.admin(v.account()).resourceTags(name).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).sorted().collect(Collectors.joining(", "));
    }

    /** A page of at most {@link #LIMIT} images in digest order, from after {@code afterText} (a digest) on. */
    private String images(ConsoleView v, RepositoryName name, String afterText) {
        ImageCatalog catalog = pages.services.images(v.account(), pages.actor(v));
        Digest after;
        try {
            after = blankToNull(afterText) == null ? null : Digest.parse(afterText.trim());
        } catch (RuntimeException e) {
            throw new io.berth.core.error.RegistryException(io.berth.core.error.ErrorCode.INVALID_PARAMETER,
                    "after is an image digest");
        }
        var page = catalog.list(name, after, LIMIT, ImageCatalog.TagStatus.ANY);
        List<Image> list = page.items();
        Map<Digest, ImageTimes> times = new LinkedHashMap<>();
        list.forEach(i -> times.put(i.manifest().digest(), new ImageTimes(i.manifest().pushedAt(),
                i.manifest().lastPulledAt())));
        Map<Digest, ImageScan> scans = pages.scanning.summaries(v.account(), name, times);
        StringBuilder rows = new StringBuilder();
        for (Image i : list) {
            Digest d = i.manifest().digest();
            ImageScan scan = scans.get(d);
            String signed = pages.signing.statuses(v.account(), name, d).stream().map(st -> st.status())
                    .collect(Collectors.joining(", "));
            rows.append(Html.row(i.tags().stream().map(Tag::value).collect(Collectors.joining(", ")),
                    Html.link("/console/image?repository=" + Html.url(name.value()) + "&digest=" + Html.url(
                            d.toString()), d), i.manifest().imageSize(), i.manifest().pushedAt(),
                    i.manifest().lastPulledAt(), i.storage().storageClass(),
                    scan == null ? "" : scan.status() + " " + scan.severityCounts(), signed.isEmpty() ? "unsigned"
                            : signed));
        }
        String here = ConsolePages.repositoryLink(name.value());
        return Html.table("Images", new String[] {"Tags", "Digest", "Size (bytes)", "Pushed", "Last pulled",
                "Storage class", "Scan", "Signing"}, rows)
                + (after == null ? "" : "<p>" + Html.link(here, "First page").html() + "</p>")
                + Html.pager(null, page.hasMore() && !list.isEmpty() ? here + "&after=" + Html.url(list.get(
                        list.size() - 1).manifest().digest().toString()) : null);
    }
}
