package io.berth.server.console;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.TagMutability;
import io.berth.core.service.RepositoryAdmin;
import io.berth.core.service.RepositoryView;
import io.berth.server.console.ConsoleHandler.Reply;
import io.berth.server.http.ecr.SettingsInput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A repository's settings: tag mutability and its exclusion filters (PutImageTagMutability), scan on push
 * (PutImageScanningConfiguration), resource tags (TagResource / UntagResource) and, read-only as in ECR, the
 * encryption chosen at creation. Each form is one API call, validated by the API's own checks.
 */
final class SettingsPage {
    private final ConsolePages pages;

    SettingsPage(ConsolePages pages) {
        this.pages = pages;
    }

    /** The ECR action a settings form stands for (for the audit trail and the access check). */
    static String actionOf(Map<String, String> params) {
        return switch (params.getOrDefault("action", "")) {
            case "mutability" -> "PutImageTagMutability";
            case "scanning" -> "PutImageScanningConfiguration";
            case "tags" -> "TagResource";
            default -> null;
        };
    }

    Reply show(ConsoleView v, RepositoryName repo, String message) {
        pages.require(v, "ecr:DescribeRepositories", repo.value());
        RepositoryView r = pages.services.admin(v.account()).require(repo);
        RepositoryView.Settings s = r.settings();
        StringBuilder modes = new StringBuilder();
        for (TagMutability m : TagMutability.values()) {
            modes.append("<option").append(m == s.tagMutability() ? " selected" : "").append(">").append(m.name())
                    .append("</option>");
        }
        boolean scanOnPush = pages.scanning.scansOnPush(v.account(), repo);
        String body = PolicyPages.back(repo) + PolicyPages.alert(message)
                + form(v, repo, "mutability", "<h2>Tag mutability</h2>"
                + "<p><label for=\"mutability\">Tag mutability</label><br>"
                + "<select id=\"mutability\" name=\"mutability\">" + modes + "</select></p>"
                + "<p><label for=\"filters\">Exclusion filters (one wildcard filter a line; "
                + "only with the *_WITH_EXCLUSION modes)</label><br><textarea id=\"filters\" name=\"filters\" "
                + "rows=\"5\">" + Html.text(String.join("\n", s.exclusionFilters())) + "</textarea></p>",
                "Save tag mutability")
                + form(v, repo, "scanning", "<h2>Scanning</h2><p><input type=\"checkbox\" id=\"scanOnPush\" "
                + "name=\"scanOnPush\" value=\"true\"" + (scanOnPush ? " checked" : "") + "> <label "
                + "for=\"scanOnPush\">Scan on push</label></p>", "Save scanning")
                + (pages.may(v, "ecr:ListTagsForResource", repo.value())
                ? form(v, repo, "tags", "<h2>Resource tags</h2><p><label for=\"tags\">Tags (key=value, one a line)"
                + "</label><br><textarea id=\"tags\" name=\"tags\" rows=\"6\">" + Html.text(tagText(v, repo))
                + "</textarea></p>", "Save tags")
                : "<h2>Resource tags</h2><p>Not shown: ecr:ListTagsForResource is not allowed.</p>")
                + "<h2>Encryption</h2><p>" + Html.text(s.encryptionType()) + (s.kmsKey() == null ? ""
                : " with " + Html.text(s.kmsKey())) + " (set when the repository was created; it cannot change)</p>";
        return Reply.page(message == null ? 200 : 400, Html.page("Settings of " + repo.value(), v.who(), v.csrf(),
                body));
    }

    Reply submit(ConsoleView v, RepositoryName repo, Map<String, String> params) {
        RepositoryAdmin admin = pages.services.admin(v.account(), pages.actor(v));
        try {
            switch (params.getOrDefault("action", "")) {
                case "mutability" -> {
                    pages.require(v, "ecr:PutImageTagMutability", repo.value());
                    List<String> filters = lines(params.get("filters"));
                    TagMutability m = SettingsInput.checkMutability(params.get("mutability"), filters);
                    admin.setTagMutability(repo, m, filters);
                }
                case "scanning" -> {
                    pages.require(v, "ecr:PutImageScanningConfiguration", repo.value());
                    admin.require(repo);
                    pages.scanning.setScanOnPush(v.account(), repo, "true".equals(params.get("scanOnPush")),
                            pages.actor(v));
                }
                case "tags" -> saveTags(v, repo, admin, params.get("tags"));
                default -> throw new RegistryException(ErrorCode.INVALID_PARAMETER,
                        "action is mutability, scanning or tags");
            }
        } catch (RegistryException e) {
            if (e.code() == ErrorCode.DENIED || e.code() == ErrorCode.NAME_UNKNOWN) {
                throw e;
            }
            return show(v, repo, e.getMessage());
        }
        return Reply.redirect(link(repo));
    }

    /** The form's tags replace the repository's: new and changed keys are tagged, missing ones untagged. */
    private void saveTags(ConsoleView v, RepositoryName repo, RepositoryAdmin admin, String text) {
        pages.require(v, "ecr:ListTagsForResource", repo.value()); // the form replaces what it showed
        pages.require(v, "ecr:TagResource", repo.value());
        Map<String, String> wanted = new LinkedHashMap<>();
        for (String line : lines(text)) {
            int eq = line.indexOf('=');
            wanted.put((eq < 0 ? line : line.substring(0, eq)).trim(), eq < 0 ? "" : line.substring(eq + 1).trim());
        }
        Map<String, String> checked = SettingsInput.checkTags(wanted);
        List<String> removed = new ArrayList<>(admin.resourceTags(repo).keySet());
        removed.removeAll(checked.keySet());
        if (!removed.isEmpty()) {
            pages.require(v, "ecr:UntagResource", repo.value());
            admin.untag(repo, removed);
        }
        if (!checked.isEmpty()) {
            admin.tag(repo, checked);
        }
    }

    private String tagText(ConsoleView v, RepositoryName repo) {
        return pages.services.admin(v.account()).resourceTags(repo).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).sorted().collect(Collectors.joining("\n"));
    }

    private static String form(ConsoleView v, RepositoryName repo, String action, String fields, String button) {
        return "<form method=\"post\" action=\"/console/settings\">" + Html.csrfField(v.csrf())
                + "<input type=\"hidden\" name=\"repository\" value=\"" + Html.text(repo.value()) + "\">"
                + "<input type=\"hidden\" name=\"action\" value=\"" + action + "\">" + fields
                + "<p><button type=\"submit\">" + Html.text(button) + "</button></p></form>";
    }

    private static List<String> lines(String text) {
        if (text == null) {
            return List.of();
        }
        return text.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
    }

    static String link(RepositoryName repo) { return "/console/settings?repository=" + Html.url(repo.value()); }
}
