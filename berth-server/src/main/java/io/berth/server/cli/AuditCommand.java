package io.berth.server.cli;

import io.berth.server.boot.BerthApp;
import io.berth.server.boot.Stores;
import io.berth.core.audit.AuditJson;
import io.berth.core.spi.meta.AuditEvent;
import io.berth.core.spi.meta.AuditQuery;
import io.berth.core.spi.meta.AuditStore;
import io.berth.server.config.BerthConfig;
import io.berth.server.config.Durations;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code berth admin audit}: reads the audit trail from the same database {@code serve} writes it to (safe while it
 * runs). Newest first; a table by default, CloudTrail-shaped JSON lines with {@code --json}.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Show the audit trail, newest first.")
final class AuditCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--from", paramLabel = "ISO", description = "Events at or after this instant "
            + "(2025-01-31T12:00:00Z)")
    String from;

    @Option(names = "--since", paramLabel = "DURATION", description = "Events in the last DURATION (1h, 30m, 7d)")
    String since;

    @Option(names = "--to", paramLabel = "ISO", description = "Events before this instant")
    String to;

    @Option(names = "--principal", paramLabel = "ARN|ACCESS_KEY|ACCOUNT", description = "Who acted")
    String principal;

    @Option(names = "--repository", paramLabel = "NAME", description = "The repository acted on")
    String repository;

    @Option(names = "--event", paramLabel = "NAME", description = "Event name, such as PutImage")
    String event;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N events "
            + "(default 100, at most " + AuditQuery.MAX_LIMIT + ")")
    int limit;

    @Option(names = "--json", description = "One JSON object per line instead of a table")
    boolean json;

    @Override
    public Integer call() {
        AuditQuery query;
        try {
            if (from != null && since != null) {
                throw new IllegalArgumentException("give --from or --since, not both");
            }
            Instant start = from != null ? Instant.parse(from)
                    : since != null ? Instant.now().minus(positive(Durations.parse(since))) : null;
            query = new AuditQuery(start, to == null ? null : Instant.parse(to), principal, repository, event,
                    limit, null);
        } catch (DateTimeParseException | IllegalArgumentException e) {
            System.err.println("berth: " + e.getMessage());
            return 2;
        }
        BerthConfig config = common.load(Map.of());
        try (Stores stores = BerthApp.openStores(config)) {
            AuditStore.Page page = stores.metadata().read(tx -> tx.audit().query(query));
            print(page, System.out);
        }
        return 0;
    }

    private static Duration positive(Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("--since must be a positive duration such as 1h");
        }
        return d;
    }

    private void print(AuditStore.Page page, PrintStream out) {
        if (json) {
            page.events().forEach(e -> out.println(TerminalText.json(AuditJson.line(e))));
            return;
        }
        String format = "%-24s %-22s %-44s %-24s %-15s %s%n";
        out.printf(format, "TIME", "EVENT", "PRINCIPAL", "REPOSITORY", "SOURCE IP", "ERROR");
        for (AuditEvent e : page.events()) {
            // every field but the time may carry what a caller sent: escaped, so it cannot drive the terminal
            out.printf(format, e.eventTime(), safe(e.eventName()), safe(who(e)), safe(e.repository()),
                    safe(e.sourceIPAddress()), safe(e.errorCode()));
        }
        if (page.nextCursor() != null) {
            out.println("(more events: narrow the filters or raise --limit)");
        }
    }

    private static String who(AuditEvent e) {
        AuditEvent.UserIdentity u = e.userIdentity();
        if (u.arn() != null) {
            return u.arn();
        }
        String name = u.type() + (u.userName() != null ? ":" + u.userName() : "");
        return u.accessKeyId() != null ? name + " (" + u.accessKeyId() + ")" : name;
    }

    private static String safe(String s) {
        return s == null ? "-" : TerminalText.cell(s);
    }
}
