package io.berth.server.console;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.Digest;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import io.berth.core.scanning.Finding;
import io.berth.core.scanning.ImageScan;
import io.berth.core.service.ImageCatalog;
import io.berth.core.service.ImageCatalog.Image;
import io.berth.core.service.ManifestView;
import io.berth.server.console.ConsoleHandler.Reply;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** One image: its details, copyable commands, the referrers tree (signatures, SBOMs) and its scan findings. */
final class ImagePage {
    /** Referrers of referrers (a signature of an SBOM) are shown this deep. */
    static final int REFERRER_DEPTH = 3;
    private static final List<String> SEVERITIES = List.of("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL",
            "UNDEFINED");
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private final ConsolePages pages;

    ImagePage(ConsolePages pages) {
        this.pages = pages;
    }

    Reply show(ConsoleView v, RepositoryName repo, String digestText) {
        pages.require(v, "ecr:DescribeImages", repo.value());
        Digest digest;
        try {
            digest = Digest.parse(digestText == null ? "" : digestText);
        } catch (RuntimeException e) {
            throw new RegistryException(ErrorCode.INVALID_PARAMETER, "not an image digest");
        }
        ImageCatalog catalog = pages.services.images(v.account(), pages.actor(v));
        Image image = catalog.find(repo, digest).orElseThrow(() -> new RegistryException(ErrorCode.MANIFEST_UNKNOWN,
                "The image with digest '" + digest + "' does not exist within the repository with name '" + repo
                        + "' in the registry with id '" + v.account() + "'"));
        ManifestView m = image.manifest();
        String tags = image.tags().stream().map(Tag::value).collect(Collectors.joining(", "));
        String pullRef = v.host() + "/" + repo.value() + "@" + digest;
        StringBuilder body = new StringBuilder("<dl>")
                .append(item("Repository", Html.link(ConsolePages.repositoryLink(repo.value()), repo).html()))
                .append(item("Digest", Html.text(digest))).append(item("Tags", Html.text(tags)))
                .append(item("Media type", Html.text(m.mediaType())))
                .append(item("Size (bytes)", Html.text(m.imageSize())))
                .append(item("Pushed", Html.text(m.pushedAt())))
                .append(item("Last pulled", Html.text(m.lastPulledAt())))
                .append(item("Storage class", Html.text(image.storage().storageClass())))
                .append("</dl>").append(platforms(repo, m))
                .append("<h2>Commands</h2>")
                .append(Html.copyable("pull", "docker pull", "docker pull " + pullRef))
                .append(Html.copyable("describe", "aws ecr describe-images", "aws ecr describe-images "
                        + "--repository-name " + repo + " --image-ids imageDigest=" + digest
                        + " --endpoint-url " + v.endpoint()))
                .append(Html.copyable("findings", "aws ecr describe-image-scan-findings",
                        "aws ecr describe-image-scan-findings --repository-name " + repo + " --image-id imageDigest="
                                + digest + " --endpoint-url " + v.endpoint()))
                .append("<h2>Referrers</h2>").append(referrers(v, catalog, repo, digest, REFERRER_DEPTH));
        if (pages.may(v, "ecr:DescribeImageScanFindings", repo.value())) {
            body.append(findings(pages.scanning.scan(v.account(), repo, digest)));
        }
        body.append(statuses(v, repo, digest));
        return Reply.page(200, Html.page("Image " + repo.value() + (tags.isEmpty() ? "" : ":" + tags), v.who(),
                v.csrf(), body.toString()));
    }

    /** An index's children with their platforms, each a link to its own page; "" for a single manifest. */
    private static String platforms(RepositoryName repo, ManifestView m) {
        if (!m.mediaType().contains("index") && !m.mediaType().contains("manifest.list")) {
            return "";
        }
        StringBuilder rows = new StringBuilder();
        try {
            for (com.fasterxml.jackson.databind.JsonNode child : JSON.readTree(m.content()).path("manifests")) {
                com.fasterxml.jackson.databind.JsonNode p = child.path("platform");
                String platform = p.path("os").asText("") + (p.hasNonNull("architecture") ? "/"
                        + p.path("architecture").asText() : "") + (p.hasNonNull("variant") ? "/"
                        + p.path("variant").asText() : "");
                String digest = child.path("digest").asText("");
                rows.append(Html.row(platform, Html.link("/console/image?repository=" + Html.url(repo.value())
                        + "&digest=" + Html.url(digest), digest), child.path("size").asLong()));
            }
        } catch (java.io.IOException e) {
            return "<p>The index could not be read.</p>"; // stored manifests were validated at push
        }
        return Html.table("Platforms", new String[] {"Platform", "Manifest", "Size (bytes)"}, rows);
    }

    /** The image's signing status per profile (DescribeImageSigningStatus) and replication per destination. */
    private String statuses(ConsoleView v, RepositoryName repo, Digest digest) {
        StringBuilder signing = new StringBuilder();
        if (pages.may(v, "ecr:DescribeImageSigningStatus", repo.value())) {
            pages.signing.statuses(v.account(), repo, digest).forEach(st -> signing.append(Html.row(st.profileArn(),
                    st.status(), st.failureCode() == null ? "" : st.failureCode() + ": " + st.failureReason())));
        }
        StringBuilder replication = new StringBuilder();
        if (pages.may(v, "ecr:DescribeImageReplicationStatus", repo.value())) {
            pages.replication.statuses(v.account(), repo, digest).forEach(st -> replication.append(Html.row(
                    st.region(), st.registryId(), st.status(), st.failureCode())));
        }
        return Html.table("Signing status", new String[] {"Signing profile", "Status", "Failure"},
                signing.isEmpty() ? Html.row("(none)", "", "") : signing)
                + Html.table("Replication status", new String[] {"Region", "Registry", "Status", "Failure"},
                replication.isEmpty() ? Html.row("(not replicated)", "", "", "") : replication);
    }

    private static String item(String term, String html) {
        return "<dt>" + Html.text(term) + "</dt><dd>" + html + "</dd>";
    }

    private String referrers(ConsoleView v, ImageCatalog catalog, RepositoryName repo, Digest subject, int depth) {
        List<ManifestView> found = catalog.referrers(repo, subject);
        if (found.isEmpty()) {
            return depth == REFERRER_DEPTH ? "<p>No signatures, SBOMs or other referrers.</p>" : "";
        }
        StringBuilder b = new StringBuilder("<ul>");
        for (ManifestView r : found) {
            b.append("<li>").append(Html.text(r.artifactType() != null ? r.artifactType() : r.mediaType()))
                    .append(" ").append(Html.link("/console/image?repository=" + Html.url(repo.value()) + "&digest="
                            + Html.url(r.digest().toString()), r.digest()).html());
            if (depth > 1) {
                b.append(referrers(v, catalog, repo, r.digest(), depth - 1));
            }
            b.append("</li>");
        }
        return b.append("</ul>").toString();
    }

    private static String findings(Optional<ImageScan> scan) {
        if (scan.isEmpty()) {
            return "<h2>Findings</h2><p>Not scanned.</p>";
        }
        ImageScan s = scan.get();
        StringBuilder b = new StringBuilder("<h2>Findings</h2><p>Scan ").append(Html.text(s.status()))
                .append(s.description() == null ? "" : ": " + Html.text(s.description()))
                .append(s.completedAt() == null ? "" : " (completed " + Html.text(s.completedAt()) + ")")
                .append("</p>");
        // the known severities worst first, then any other a source reported, so no finding is left out
        java.util.LinkedHashSet<String> order = new java.util.LinkedHashSet<>(SEVERITIES);
        s.findings().forEach(f -> order.add(f.severity() == null ? "UNDEFINED"
                : f.severity().toUpperCase(java.util.Locale.ROOT)));
        for (String severity : order) {
            List<Finding> of = s.findings().stream().filter(f -> severity.equalsIgnoreCase(
                            f.severity() == null ? "UNDEFINED" : f.severity()))
                    .sorted(Comparator.comparing(Finding::vulnerabilityId, Comparator.nullsLast(
                            Comparator.naturalOrder()))).toList();
            if (of.isEmpty()) {
                continue;
            }
            StringBuilder rows = new StringBuilder();
            for (Finding f : of) {
                rows.append(Html.row(f.uri() != null && f.uri().startsWith("https://")
                                ? Html.link(f.uri(), f.vulnerabilityId()) : f.vulnerabilityId(),
                        f.packageName(), f.packageVersion(), f.fixedInVersion(), f.description()));
            }
            b.append(Html.table(severity + " (" + of.size() + ")", new String[] {"Vulnerability", "Package",
                    "Installed", "Fixed in", "Description"}, rows));
        }
        return b.toString();
    }
}
