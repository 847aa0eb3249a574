package io.berth.server.cli;

import io.berth.core.spi.meta.EventStore;
import io.berth.core.spi.meta.RegistryEvent;
import io.berth.server.boot.BerthApp;
import io.berth.server.boot.Stores;
import io.berth.server.config.BerthConfig;
import io.berth.server.config.Durations;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code berth admin events}: the event stream, oldest first, from the same database {@code serve} writes it to
 * (safe while it runs). Every field that a caller chose (repository, tags, principal, detail) is escaped, so it
 * cannot drive the terminal.
 */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = "Show the event stream (pushes, tag changes, deletes, repository and setting changes), oldest "
                + "first.")
final class EventsCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--repository", paramLabel = "NAME", description = "Only events of this repository")
    String repository;

    @Option(names = "--since", paramLabel = "DURATION|ISO", description = "Events in the last DURATION (1h, 7d) "
            + "or at or after an instant (2025-01-31T12:00:00Z)")
    String since;

    @Option(names = "--after", paramLabel = "POSITION", defaultValue = "0",
            description = "Events after this stream position (for the next page)")
    long after;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N events "
            + "(default 100, at most " + EventStore.Filter.MAX_LIMIT + ")")
    int limit;

    @Override
    public Integer call() {
        EventStore.Filter filter;
        try {
            filter = new EventStore.Filter(repository, since == null ? null : start(since), after, limit);
        } catch (DateTimeParseException | IllegalArgumentException e) {
            System.err.println("berth: " + e.getMessage());
            return 2;
        }
        BerthConfig config = common.load(Map.of());
        try (Stores stores = BerthApp.openStores(config)) {
            print(stores.metadata().read(tx -> tx.events().list(filter)), System.out);
        }
        return 0;
    }

    private static Instant start(String since) {
        if (since.contains("T")) {
            return Instant.parse(since);
        }
        Duration d = Durations.parse(since);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("--since must be a positive duration such as 1h, or an instant");
        }
        return Instant.now().minus(d);
    }

    private void print(List<RegistryEvent> events, PrintStream out) {
        String format = "%-8s %-5s %-24s %-18s %-12s %-24s %-71s %-20s %-44s %-22s %s%n";
        out.printf(format, "POSITION", "SEQ", "TIME", "TYPE", "ACCOUNT", "REPOSITORY", "DIGEST", "TAGS", "PRINCIPAL",
                "REASON", "DETAIL");
        for (RegistryEvent e : events) {
            out.printf(format, e.position(), e.sequence(), e.time(), e.type(), e.account(), safe(e.repository()),
                    e.digest() == null ? "-" : e.digest(), e.tags().isEmpty() ? "-" : safe(String.join(",", e.tags())),
                    safe(e.principal()), safe(e.reason()), safe(e.detail()));
        }
        if (events.size() == limit) {
            out.println("(more events: --after " + events.get(events.size() - 1).position() + ")");
        }
    }

    private static String safe(String s) {
        return s == null ? "-" : TerminalText.cell(s);
    }
}
