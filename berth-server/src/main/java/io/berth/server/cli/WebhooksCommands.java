package io.berth.server.cli;

import io.berth.core.model.RegistryId;
import io.berth.core.spi.meta.WebhookStore.DeliveryRecord;
import io.berth.core.spi.meta.WebhookStore.DeliveryStatus;
import io.berth.core.spi.meta.WebhookStore.WebhookRecord;
import io.berth.core.webhook.Webhooks;
import io.berth.server.boot.BerthApp;
import io.berth.server.auth.Identities;
import java.io.PrintStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth admin webhooks add|list|remove|deliveries}: the receivers events are posted to, and their delivery
 * log. Run beside {@code serve} on the same database; a running server picks a new webhook up within a second.
 */
@Command(name = "webhooks", mixinStandardHelpOptions = true,
        description = "Webhooks: add, list and remove receivers of the event stream, and show their deliveries.",
        subcommands = {WebhooksCommands.Add.class, WebhooksCommands.ListWebhooks.class, WebhooksCommands.Remove.class,
                WebhooksCommands.Deliveries.class})
final class WebhooksCommands implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    abstract static class WebhookBase extends AdminCommand.Base {
        Webhooks webhooks() {
            return new Webhooks(stores.metadata(), stores.clock(), BerthApp.webhookGuard(config),
                    io.berth.server.crypto.SecretValueCipher.forWebhooks(stores.masterKey()));
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a webhook; prints its id and the "
            + "signing secret (shown only now).")
    static final class Add extends WebhookBase {
        @Parameters(index = "0", paramLabel = "URL", description = "http(s) URL events are POSTed to") String url;

        @Option(names = "--events", paramLabel = "TYPE", split = ",", description = "Only these detail-types, "
                + "comma-separated (default: all), e.g. \"ECR Image Action,ECR Image Scan\"") List<String> events;

        @Option(names = "--repository-filter", paramLabel = "NAME|PREFIX*", description = "Only events of this "
                + "repository, or of the repositories starting with PREFIX") String repositoryFilter;

        @Override
        String eventName() { return "CreateWebhook"; }

        @Override
        void describeForAudit() {
            auditParameters.put("url", url);
            auditParameters.put("events", events == null ? "" : String.join(",", events));
            auditParameters.put("repositoryFilter", repositoryFilter);
        }

        @Override
        int run(Identities ids, RegistryId account, PrintStream out) {
            Set<String> types = events == null ? Set.of() : new LinkedHashSet<>(events.stream().map(String::trim)
                    .filter(s -> !s.isEmpty()).toList());
            Webhooks.Added added;
            try {
                added = webhooks().add(url, types, repositoryFilter);
            } catch (IllegalArgumentException e) {
                return refuse("InvalidParameterException", e.getMessage());
            }
            auditResponse.put("webhookId", added.webhook().id());
            out.println("WebhookId: " + added.webhook().id());
            out.println("Secret:    " + added.secret());
            out.println("Deliveries carry " + io.berth.core.webhook.WebhookSignature.HEADER
                    + ": t=<unix seconds>,v1=<hex HMAC-SHA256 of \"t.body\">; the secret is shown only now.");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the webhooks.")
    static final class ListWebhooks extends WebhookBase {
        @Override
        int run(Identities ids, RegistryId account, PrintStream out) {
            String format = "%-20s %-24s %-30s %-40s %s%n";
            out.printf(format, "ID", "CREATED", "REPOSITORY-FILTER", "EVENTS", "URL");
            for (WebhookRecord w : webhooks().list()) {
                out.printf(format, w.id(), w.createdAt(), w.repositoryFilter() == null ? "*"
                                : TerminalText.cell(w.repositoryFilter()),
                        w.events().isEmpty() ? "all" : String.join(",", w.events().stream().sorted().toList()),
                        TerminalText.cell(w.url()));
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a webhook and its log.")
    static final class Remove extends WebhookBase {
        @Parameters(index = "0", paramLabel = "ID") String id;

        @Override
        String eventName() { return "DeleteWebhook"; }

        @Override
        void describeForAudit() { auditParameters.put("webhookId", id); }

        @Override
        int run(Identities ids, RegistryId account, PrintStream out) {
            if (!webhooks().remove(id)) {
                return refuse("WebhookNotFoundException", "no webhook " + id);
            }
            out.println("Removed " + id);
            return 0;
        }
    }

    @Command(name = "deliveries", mixinStandardHelpOptions = true, description = "Show delivery attempts, newest "
            + "first: DELIVERED, FAILED (retried with backoff) and DEAD (dead-lettered after the last attempt).")
    static final class Deliveries extends WebhookBase {
        @Option(names = "--webhook", paramLabel = "ID", description = "Only this webhook's") String id;

        @Option(names = "--dead", description = "Only the dead-lettered") boolean dead;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N (default 100)")
        int limit;

        @Override
        int run(Identities ids, RegistryId account, PrintStream out) {
            if (limit < 1 || limit > 10_000) {
                return refuse("InvalidParameterException", "--limit must be 1 to 10000");
            }
            List<DeliveryRecord> log = stores.metadata().read(tx -> tx.webhooks().deliveries(id,
                    dead ? DeliveryStatus.DEAD : null, limit));
            String format = "%-24s %-20s %-36s %-8s %-22s %-24s %-7s %-9s %-5s %s%n";
            out.printf(format, "TIME", "WEBHOOK", "EVENT-ID", "POSITION", "DETAIL-TYPE", "REPOSITORY", "ATTEMPT",
                    "STATUS", "HTTP", "ERROR");
            for (DeliveryRecord d : log) {
                out.printf(format, d.at(), d.webhookId(), d.eventId(), d.position(), d.detailType(),
                        d.repository() == null ? "-" : TerminalText.cell(d.repository()), d.attempt(), d.status(),
                        d.httpStatus() == 0 ? "-" : d.httpStatus(), d.error() == null ? "-" : TerminalText.cell(d.error()));
            }
            return 0;
        }
    }
}
