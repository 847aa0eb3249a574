package io.berth.server.console;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.LifecyclePreviews;
import io.berth.server.console.ConsoleHandler.Reply;
import java.util.List;
import java.util.Map;

/**
 * The lifecycle policy editor: the stored policy in a text area, "Preview" (StartLifecyclePolicyPreview with the
 * edited text: the same dry run the API runs, as a job) and "Save" (PutLifecyclePolicy), and the last preview's
 * results. An invalid text comes back in the editor with the parser's message, nothing saved.
 */
final class LifecyclePage {
    static final int PREVIEW_ROWS = 200;
    private final ConsolePages pages;

    LifecyclePage(ConsolePages pages) {
        this.pages = pages;
    }

    Reply show(ConsoleView v, RepositoryName repo, String message) {
        return show(v, repo, message, null, 200);
    }

    private Reply show(ConsoleView v, RepositoryName repo, String message, String editedText, int status) {
        pages.require(v, "ecr:GetLifecyclePolicy", repo.value());
        String text = editedText != null ? editedText : stored(v, repo);
        StringBuilder body = new StringBuilder("<p>").append(Html.link(ConsolePages.repositoryLink(repo.value()),
                "Back to " + repo.value()).html()).append("</p>");
        if (message != null) {
            body.append("<p class=\"error\" role=\"alert\">").append(Html.text(message)).append("</p>");
        }
        body.append("<form method=\"post\" action=\"/console/lifecycle\">").append(Html.csrfField(v.csrf()))
                .append("<input type=\"hidden\" name=\"repository\" value=\"").append(Html.text(repo.value()))
                .append("\"><p><label for=\"policy\">Lifecycle policy (JSON)</label><br>")
                .append("<textarea id=\"policy\" name=\"policy\" rows=\"16\">").append(Html.text(text))
                .append("</textarea></p><p><button type=\"submit\" name=\"action\" value=\"preview\">Preview</button> ")
                .append("<button type=\"submit\" name=\"action\" value=\"save\">Save</button></p></form>");
        if (pages.may(v, "ecr:GetLifecyclePolicyPreview", repo.value())) {
            body.append(preview(v, repo));
        }
        return Reply.page(status, Html.page("Lifecycle policy of " + repo.value(), v.who(), v.csrf(),
                body.toString()));
    }

    Reply submit(ConsoleView v, RepositoryName repo, Map<String, String> params) {
        String text = params.getOrDefault("policy", "");
        String action = params.getOrDefault("action", "");
        try {
            switch (action) {
                case "preview" -> {
                    pages.require(v, "ecr:StartLifecyclePolicyPreview", repo.value());
                    pages.services.lifecyclePreviews(v.account()).start(repo, text);
                }
                case "save" -> {
                    pages.require(v, "ecr:PutLifecyclePolicy", repo.value());
                    pages.services.lifecyclePolicies(v.account(), pages.actor(v)).put(repo, text);
                }
                default -> throw new RegistryException(ErrorCode.INVALID_PARAMETER, "action is preview or save");
            }
        } catch (RegistryException e) {
            if (e.code() == ErrorCode.DENIED || e.code() == ErrorCode.NAME_UNKNOWN) {
                throw e;
            }
            return show(v, repo, e.getMessage(), text, 400); // the edit is kept, nothing was stored
        }
        return Reply.redirect("/console/lifecycle?repository=" + Html.url(repo.value()));
    }

    private String stored(ConsoleView v, RepositoryName repo) {
        try {
            return pages.services.lifecyclePolicies(v.account(), pages.actor(v)).get(repo).text();
        } catch (RegistryException e) {
            if (e.code() == ErrorCode.LIFECYCLE_POLICY_NOT_FOUND) {
                return "";
            }
            throw e;
        }
    }

    private String preview(ConsoleView v, RepositoryName repo) {
        LifecyclePreviews previews = pages.services.lifecyclePreviews(v.account());
        LifecyclePreviews.Preview p;
        try {
            p = previews.get(repo);
        } catch (RegistryException e) {
            if (e.code() == ErrorCode.LIFECYCLE_POLICY_PREVIEW_NOT_FOUND) {
                return "<h2>Preview</h2><p>No preview yet.</p>";
            }
            throw e;
        }
        StringBuilder b = new StringBuilder("<h2>Preview</h2><p>Status: <strong id=\"preview-status\">")
                .append(Html.text(p.status())).append("</strong>");
        if (!p.complete()) {
            return b.append(" (reload the page to see the results)</p>").toString();
        }
        b.append(": ").append(p.expiringCount()).append(" image(s) would expire, ").append(p.transitioningCount())
                .append(" would move to another storage class.</p>");
        List<LifecyclePreviews.Result> results = previews.results(repo, -1, PREVIEW_ROWS);
        StringBuilder rows = new StringBuilder();
        for (LifecyclePreviews.Result r : results) {
            rows.append(Html.row(r.digest(), String.join(", ", r.tags()), r.pushedAt(), r.action(),
                    r.targetStorageClass(), r.rulePriority()));
        }
        return b.append(Html.table("What the policy would do", new String[] {"Digest", "Tags", "Pushed", "Action",
                "Target storage class", "Rule priority"}, rows)).toString();
    }
}
