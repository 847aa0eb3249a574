package io.berth.server.console;

import io.berth.core.auth.Principal;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.spi.meta.AuditEvent;
import io.berth.core.spi.meta.AuditQuery;
import io.berth.core.spi.meta.AuditStore;
import io.berth.core.spi.meta.JobRecord;
import io.berth.core.spi.meta.JobState;
import io.berth.core.spi.meta.JobStore;
import io.berth.server.console.ConsoleHandler.Reply;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The audit trail (with the filters of {@code berth admin audit}) and the background jobs. Both are for an
 * account's root: the trail shows only the events of the signed-in account; the jobs page shows the jobs that name
 * the account, and every job (GC, feeds, prunes) to the root of the deployment's default account, which operates it.
 */
final class TrailPages {
    static final int LIMIT = 200;
    private final ConsolePages pages;

    TrailPages(ConsolePages pages) {
        this.pages = pages;
    }

    Reply audit(ConsoleView v, Map<String, String> params) {
        requireRoot(v);
        String principal = blankToNull(params.get("principal"));
        String repository = blankToNull(params.get("repository"));
        String event = blankToNull(params.get("event"));
        Instant from = instant(params.get("from"));
        Instant to = instant(params.get("to"));
        String cursor = blankToNull(params.get("cursor"));
        AuditStore.Page found = pages.metadata.read(tx -> tx.audit().query(new AuditQuery(from, to, principal,
                repository, event, LIMIT, cursor))); // a page is at most LIMIT events, so the cursor skips none
        List<AuditEvent> events = found.events();
        StringBuilder rows = new StringBuilder();
        int shown = 0;
        for (AuditEvent e : events) {
            if (!v.account().value().equals(e.registryId()) || shown++ >= LIMIT) {
                continue;
            }
            rows.append(Html.row(e.eventTime(), e.eventName(), e.userIdentity() == null ? "" : e.userIdentity().arn()
                            != null ? e.userIdentity().arn() : e.userIdentity().accessKeyId(), e.sourceIPAddress(),
                    e.repository(), e.errorCode() == null ? "OK" : e.errorCode() + ": " + e.errorMessage()));
        }
        String body = "<form method=\"get\" action=\"/console/audit\">"
                + field("principal", "Principal (ARN, key ID or account)", principal)
                + field("repository", "Repository", repository) + field("event", "Event name", event)
                + field("from", "From (ISO-8601 instant)", params.get("from"))
                + field("to", "To (ISO-8601 instant)", params.get("to"))
                + "<p><button type=\"submit\">Filter</button></p></form>"
                + Html.table("Events, newest first", new String[] {"Time", "Event", "Principal", "Source IP",
                        "Repository", "Result"}, rows)
                + (cursor == null ? "" : "<p>" + Html.link("/console/audit?" + filters(params, null), "First page")
                        .html() + "</p>")
                + Html.pager(null, found.nextCursor() == null ? null : "/console/audit?" + filters(params,
                        found.nextCursor()));
        return Reply.page(200, Html.page("Audit trail", v.who(), v.csrf(), body));
    }

    Reply jobs(ConsoleView v, Map<String, String> params) {
        requireRoot(v);
        String stateText = blankToNull(params.get("state"));
        JobState state;
        try {
            state = stateText == null ? null : JobState.valueOf(stateText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new RegistryException(ErrorCode.INVALID_PARAMETER, "state is one of QUEUED, RUNNING, SUCCEEDED, "
                    + "FAILED, CANCELLED");
        }
        boolean operator = v.account().sameAccount(pages.operatorAccount);
        List<JobRecord> jobs = pages.metadata.read(tx -> tx.jobs().list(new JobStore.Query(state, null, LIMIT)));
        StringBuilder rows = new StringBuilder();
        for (JobRecord j : jobs) {
            if (operator || j.target().contains(v.account().value())) {
                rows.append(Html.row(j.id(), j.kind(), j.target(), j.state(), j.attempts() + "/" + j.maxAttempts(),
                        j.progress() == null ? "" : j.progress() + (j.progressPercent() == null ? ""
                                : " (" + j.progressPercent() + "%)"), j.lastError(), j.updatedAt()));
            }
        }
        StringBuilder options = new StringBuilder("<option value=\"\">any</option>");
        for (JobState s : JobState.values()) {
            options.append("<option").append(s == state ? " selected" : "").append(">").append(s).append("</option>");
        }
        String body = "<form method=\"get\" action=\"/console/jobs\"><label for=\"state\">State</label> "
                + "<select id=\"state\" name=\"state\">" + options + "</select> <button type=\"submit\">Filter</button>"
                + "</form>" + Html.table("Jobs", new String[] {"ID", "Kind", "Target", "State", "Attempts",
                        "Progress", "Last error", "Updated"}, rows);
        return Reply.page(200, Html.page("Jobs", v.who(), v.csrf(), body));
    }

    private static void requireRoot(ConsoleView v) {
        if (v.principal().kind() != Principal.Kind.ROOT) {
            throw new RegistryException(ErrorCode.DENIED, "User: " + v.principal().arn() + " is not authorized: "
                    + "the audit trail and the jobs are shown to the account's root");
        }
    }

    /** The filter parameters of the audit page's query, and the cursor of the page to show. */
    private static String filters(Map<String, String> params, String cursor) {
        StringBuilder q = new StringBuilder();
        for (String name : new String[] {"principal", "repository", "event", "from", "to"}) {
            String value = blankToNull(params.get(name));
            if (value != null) {
                q.append(q.length() == 0 ? "" : "&").append(name).append('=').append(Html.url(value));
            }
        }
        if (cursor != null) {
            q.append(q.length() == 0 ? "" : "&").append("cursor=").append(Html.url(cursor));
        }
        return q.toString();
    }

    private static String field(String name, String label, String value) {
        return "<p><label for=\"" + name + "\">" + Html.text(label) + "</label><br><input id=\"" + name + "\" name=\""
                + name + "\" value=\"" + Html.text(value) + "\"></p>";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static Instant instant(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(s.trim());
        } catch (DateTimeParseException e) {
            throw new RegistryException(ErrorCode.INVALID_PARAMETER, "times are ISO-8601 instants such as "
                    + "2026-01-31T12:00:00Z");
        }
    }
}
