package io.berth.server.console;

import io.berth.core.auth.Principal;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.replication.ReplicationConfiguration;
import io.berth.core.spi.meta.PullThroughRuleRecord;
import io.berth.core.spi.meta.SigningStore;
import io.berth.core.spi.meta.WebhookStore;
import io.berth.server.console.ConsoleHandler.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The registry-wide pages: replication rules, pull-through cache rules (keyset-paged by prefix), the signing
 * requirements {@code berth admin signing require} sets, and the webhook delivery log with its dead letters. Each
 * asks the access check its API would (DescribeRegistry, DescribePullThroughCacheRules, GetSigningConfiguration);
 * webhooks are the operator's (they are deployment-wide), so only the default account's root sees them.
 */
final class RegistryPages {
    static final int LIMIT = 200;
    private final ConsolePages pages;

    RegistryPages(ConsolePages pages) {
        this.pages = pages;
    }

    /** Berth's opt-ins of a destination (set by {@code berth admin replication}), as the console shows them. */
    private static String optIns(ReplicationConfiguration c, ReplicationConfiguration.Destination d) {
        List<String> on = new ArrayList<>();
        if (c.propagateDeletes().contains(d)) {
            on.add("deletes propagate");
        }
        if (c.propagateTagMoves().contains(d)) {
            on.add("tag moves propagate");
        }
        c.tagFilters().stream().filter(f -> f.destination().equals(d))
                .forEach(f -> on.add("tags " + String.join(" | ", f.patterns())));
        return on.isEmpty() ? "" : " (" + String.join("; ", on) + ")";
    }

    Reply replication(ConsoleView v) {
        pages.require(v, "ecr:DescribeRegistry", null);
        ReplicationConfiguration c = pages.replication.configuration(v.account());
        StringBuilder rows = new StringBuilder();
        int n = 0;
        for (ReplicationConfiguration.Rule r : c.rules()) {
            n++;
            rows.append(Html.row(n, r.destinations().stream().map(d -> d.region() + " / " + d.registryId()
                            + optIns(c, d)).collect(Collectors.joining(", ")),
                    r.prefixes().isEmpty() ? "every repository" : String.join(", ", r.prefixes())));
        }
        String body = "<p>Per-image status is on each image's page. Change the rules with "
                + "<code>aws ecr put-replication-configuration</code>.</p>"
                + Html.table("Replication rules", new String[] {"Rule", "Destinations (region / registry)",
                        "Repository prefixes"}, rows.isEmpty() ? Html.row("(no rules)", "", "") : rows);
        return Reply.page(200, Html.page("Replication", v.who(), v.csrf(), body));
    }

    Reply pullThrough(ConsoleView v, Map<String, String> params) {
        pages.require(v, "ecr:DescribePullThroughCacheRules", null);
        String after = RepositoryPages.blankToNull(params.get("after"));
        List<PullThroughRuleRecord> rules = pages.metadata.read(tx -> tx.pullThroughRules().list(v.account(), after,
                LIMIT + 1));
        boolean more = rules.size() > LIMIT;
        rules = more ? rules.subList(0, LIMIT) : rules;
        StringBuilder rows = new StringBuilder();
        for (PullThroughRuleRecord r : rules) {
            rows.append(Html.row(r.prefix(), r.upstreamRegistryUrl(), r.upstreamRegistry(),
                    r.upstreamRepositoryPrefix(), r.credentialArn(), r.updatedAt()));
        }
        String body = Html.table("Pull-through cache rules", new String[] {"Prefix", "Upstream URL", "Upstream kind",
                "Upstream prefix", "Credential", "Updated"}, rows)
                + (after == null ? "" : "<p>" + Html.link("/console/pull-through", "First page").html() + "</p>")
                + Html.pager(null, more && !rules.isEmpty()
                        ? "/console/pull-through?after=" + Html.url(rules.get(rules.size() - 1).prefix()) : null);
        return Reply.page(200, Html.page("Pull-through cache", v.who(), v.csrf(), body));
    }

    Reply signing(ConsoleView v) {
        pages.require(v, "ecr:GetSigningConfiguration", null);
        List<SigningStore.Requirement> requirements = pages.metadata.read(tx -> tx.signing().requirements(
                v.account()));
        StringBuilder rows = new StringBuilder();
        for (SigningStore.Requirement r : requirements) {
            rows.append(Html.row(r.filter(), String.join(", ", r.profiles()), r.updatedAt()));
        }
        String body = "<p>A pull of an image in a matching repository needs a signature by one of the profiles. "
                + "Set them with <code>berth admin signing require</code>; each image's page shows its signing "
                + "status.</p>" + Html.table("Signing requirements", new String[] {"Repository filter",
                        "Signing profiles", "Updated"}, rows.isEmpty() ? Html.row("(none)", "", "") : rows);
        return Reply.page(200, Html.page("Signing", v.who(), v.csrf(), body));
    }

    Reply webhooks(ConsoleView v, Map<String, String> params) {
        if (v.principal().kind() != Principal.Kind.ROOT || !v.account().sameAccount(pages.operatorAccount)) {
            throw new RegistryException(ErrorCode.DENIED, "User: " + v.principal().arn() + " is not authorized: "
                    + "webhooks are the deployment's, shown to the root of account " + pages.operatorAccount);
        }
        String statusText = RepositoryPages.blankToNull(params.get("status"));
        WebhookStore.DeliveryStatus status;
        try {
            status = statusText == null ? null : WebhookStore.DeliveryStatus.valueOf(statusText.toUpperCase(
                    Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new RegistryException(ErrorCode.INVALID_PARAMETER, "status is DELIVERED, FAILED or DEAD");
        }
        List<WebhookStore.WebhookRecord> hooks = pages.metadata.read(tx -> tx.webhooks().list());
        StringBuilder hookRows = new StringBuilder();
        hooks.forEach(h -> hookRows.append(Html.row(h.id(), h.url(), h.events().isEmpty() ? "all"
                : String.join(", ", h.events()), h.repositoryFilter(), h.createdAt())));
        List<WebhookStore.DeliveryRecord> deliveries = pages.metadata.read(tx -> tx.webhooks().deliveries(null,
                status, LIMIT));
        StringBuilder rows = new StringBuilder();
        deliveries.forEach(d -> rows.append(Html.row(d.at(), d.webhookId(), d.detailType(), d.repository(),
                d.attempt(), d.status() == WebhookStore.DeliveryStatus.DEAD ? "DEAD (dead letter: no more attempts)"
                        : d.status(), d.httpStatus() == 0 ? "" : d.httpStatus(), d.error())));
        StringBuilder options = new StringBuilder("<option value=\"\">any</option>");
        for (WebhookStore.DeliveryStatus s : WebhookStore.DeliveryStatus.values()) {
            options.append("<option").append(s == status ? " selected" : "").append(">").append(s).append("</option>");
        }
        String body = Html.table("Webhooks", new String[] {"ID", "URL", "Events", "Repositories", "Created"},
                hookRows) + "<form method=\"get\" action=\"/console/webhooks\"><label for=\"status\">Delivery status"
                + "</label> <select id=\"status\" name=\"status\">" + options + "</select> <button type=\"submit\">"
                + "Filter</button></form>" + Html.table("Deliveries, newest " + LIMIT + " first", new String[] {
                        "Time", "Webhook", "Event", "Repository", "Attempt", "Status", "HTTP status", "Error"}, rows);
        return Reply.page(200, Html.page("Webhooks", v.who(), v.csrf(), body));
    }
}
