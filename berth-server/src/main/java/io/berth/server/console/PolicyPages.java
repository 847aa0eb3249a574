package io.berth.server.console;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RepositoryName;
import io.berth.server.access.Policies;
import io.berth.server.console.ConsoleHandler.Reply;
import io.berth.server.http.ecr.RepositoryPolicyCheck;
import java.util.Map;

/**
 * The repository policy and registry policy editors. Saving validates exactly as SetRepositoryPolicy (the policy
 * library, then the lock-out protection unless "force") and PutRegistryPolicy (with its V1 scope rule) do, with
 * their messages; an invalid text comes back in the editor, nothing stored.
 */
final class PolicyPages {
    private final ConsolePages pages;

    PolicyPages(ConsolePages pages) {
        this.pages = pages;
    }

    Reply repository(ConsoleView v, RepositoryName repo, Map<String, String> params, boolean post) {
        String message = null;
        String edited = null;
        if (post) {
            edited = params.getOrDefault("policy", "");
            try {
                saveRepository(v, repo, params, edited);
                return Reply.redirect(link(repo));
            } catch (RegistryException e) {
                if (e.code() == ErrorCode.DENIED || e.code() == ErrorCode.NAME_UNKNOWN) {
                    throw e;
                }
                message = e.getMessage();
            }
        }
        pages.require(v, "ecr:GetRepositoryPolicy", repo.value());
        pages.services.admin(v.account()).require(repo);
        String text = edited != null ? edited : pages.policies.repositoryPolicy(v.account(), repo.value()).orElse("");
        String body = back(repo) + alert(message) + "<form method=\"post\" action=\"/console/repository-policy\">"
                + Html.csrfField(v.csrf()) + "<input type=\"hidden\" name=\"repository\" value=\""
                + Html.text(repo.value()) + "\">" + editor("Repository policy (JSON)", text)
                + "<p><input type=\"checkbox\" id=\"force\" name=\"force\" value=\"true\"> <label for=\"force\">"
                + "Save even if it would stop me from setting a policy again (force)</label></p>"
                + "<p><button type=\"submit\" name=\"action\" value=\"save\">Save</button> "
                + "<button type=\"submit\" name=\"action\" value=\"delete\">Delete the policy</button></p></form>";
        return Reply.page(message == null ? 200 : 400, Html.page("Repository policy of " + repo.value(), v.who(),
                v.csrf(), body));
    }

    private void saveRepository(ConsoleView v, RepositoryName repo, Map<String, String> params, String text) {
        Policies policies = pages.policies.actingAs(pages.actor(v));
        if ("delete".equals(params.get("action"))) {
            pages.require(v, "ecr:DeleteRepositoryPolicy", repo.value());
            pages.services.admin(v.account()).require(repo);
            if (!policies.deleteRepositoryPolicy(v.account(), repo.value())) {
                throw new RegistryException(ErrorCode.REPOSITORY_POLICY_NOT_FOUND, "Repository policy does not "
                        + "exist for the repository with name '" + repo + "' in the registry with id '"
                        + v.account() + "'");
            }
            return;
        }
        pages.require(v, "ecr:SetRepositoryPolicy", repo.value());
        pages.services.admin(v.account()).require(repo);
        policies.setRepositoryPolicy(v.account(), repo.value(), RepositoryPolicyCheck.check(pages.access,
                v.principal(), v.account(), repo.value(), text.isBlank() ? null : text,
                "true".equals(params.get("force"))));
    }

    Reply registry(ConsoleView v, Map<String, String> params, boolean post) {
        String message = null;
        String edited = null;
        if (post) {
            edited = params.getOrDefault("policy", "");
            try {
                Policies policies = pages.policies.actingAs(pages.actor(v));
                if ("delete".equals(params.get("action"))) {
                    pages.require(v, "ecr:DeleteRegistryPolicy", null);
                    if (!policies.deleteRegistryPolicy(v.account())) {
                        throw new RegistryException(ErrorCode.REGISTRY_POLICY_NOT_FOUND, "Registry policy does not "
                                + "exist in the registry with id '" + v.account() + "'");
                    }
                } else {
                    pages.require(v, "ecr:PutRegistryPolicy", null);
                    if (edited.isBlank()) {
                        throw new RegistryException(ErrorCode.INVALID_PARAMETER, "Invalid parameter at 'policyText' "
                                + "failed to satisfy constraint: 'Member must not be null'");
                    }
                    policies.putRegistryPolicy(v.account(), edited);
                }
                return Reply.redirect("/console/registry-policy");
            } catch (RegistryException e) {
                if (e.code() == ErrorCode.DENIED) {
                    throw e;
                }
                message = e.getMessage();
            }
        }
        pages.require(v, "ecr:GetRegistryPolicy", null);
        String text = edited != null ? edited : pages.policies.registryPolicy(v.account()).orElse("");
        String body = alert(message) + "<p>Scope (REGISTRY_POLICY_SCOPE): "
                + Html.text(pages.policies.registryPolicyScope(v.account())) + "</p>"
                + "<form method=\"post\" action=\"/console/registry-policy\">" + Html.csrfField(v.csrf())
                + editor("Registry policy (JSON)", text)
                + "<p><button type=\"submit\" name=\"action\" value=\"save\">Save</button> "
                + "<button type=\"submit\" name=\"action\" value=\"delete\">Delete the policy</button></p></form>";
        return Reply.page(message == null ? 200 : 400, Html.page("Registry policy", v.who(), v.csrf(), body));
    }

    static String link(RepositoryName repo) {
        return "/console/repository-policy?repository=" + Html.url(repo.value());
    }

    static String back(RepositoryName repo) {
        return "<p>" + Html.link(ConsolePages.repositoryLink(repo.value()), "Back to " + repo.value()).html() + "</p>";
    }

    static String alert(String message) {
        return message == null ? "" : "<p class=\"error\" role=\"alert\">" + Html.text(message) + "</p>";
    }

    private static String editor(String label, String text) {
        return "<p><label for=\"policy\">" + Html.text(label) + "</label><br><textarea id=\"policy\" name=\"policy\" "
                + "rows=\"18\">" + Html.text(text) + "</textarea></p>";
    }
}
