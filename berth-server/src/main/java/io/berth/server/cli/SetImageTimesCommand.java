package io.berth.server.cli;

import io.berth.core.event.EventRecorder;
import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.server.auth.Identities;
import io.berth.server.config.TestingConfig;
import java.io.PrintStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth admin set-image-times}: backdates an image's push and last pull times, so lifecycle policies can be
 * tried on images of several ages. Refused unless the configuration is in test mode
 * ({@code testing.allow-backdating: true}), because it changes what lifecycle policies delete.
 */
@Command(name = "set-image-times", mixinStandardHelpOptions = true,
        description = "Test mode only (testing.allow-backdating: true): set an image's push time and/or last "
                + "recorded pull time, as ISO-8601 instants such as 2026-01-31T12:00:00Z.")
final class SetImageTimesCommand extends AdminCommand.Base {
    @Option(names = "--repository", paramLabel = "NAME", required = true) String repository;

    @Option(names = "--digest", paramLabel = "DIGEST", required = true) String digest;

    @Option(names = "--pushed-at", paramLabel = "INSTANT", description = "The new push time") String pushedAt;

    @Option(names = "--pulled-at", paramLabel = "INSTANT", description = "The new last recorded pull time")
    String pulledAt;

    @Override
    String eventName() { return "SetImageTimes"; }

    @Override
    void describeForAudit() {
        auditParameters.put("repositoryName", repository);
        auditParameters.put("imageDigest", digest);
        auditParameters.put("pushedAt", pushedAt);
        auditParameters.put("pulledAt", pulledAt);
    }

    @Override
    int run(Identities ids, RegistryId acct, PrintStream out) {
        if (!config.testing().allowBackdating()) {
            return refuse("InvalidParameterException", "set-image-times changes what lifecycle policies delete, so "
                    + "it runs only in test mode: set " + TestingConfig.ALLOW_BACKDATING.name() + ": true (or "
                    + TestingConfig.ALLOW_BACKDATING.env() + "=true) in the configuration the server and this "
                    + "command read");
        }
        if (pushedAt == null && pulledAt == null) {
            return refuse("InvalidParameterException", "give --pushed-at, --pulled-at or both");
        }
        Instant pushed;
        Instant pulled;
        try {
            pushed = pushedAt == null ? null : Instant.parse(pushedAt);
            pulled = pulledAt == null ? null : Instant.parse(pulledAt);
        } catch (DateTimeParseException e) {
            return refuse("InvalidParameterException", "times are ISO-8601 instants such as 2026-01-31T12:00:00Z: "
                    + e.getParsedString());
        }
        RepositoryName name = RepositoryName.of(repository);
        Digest d = Digest.parse(digest);
        if (!stores.services().images(acct, EventRecorder.ADMIN).setImageTimes(name, d, pushed, pulled)) {
            return refuse("ImageNotFoundException", "repository " + name + " of account " + acct + " has no image "
                    + d);
        }
        out.println("Set the times of " + name + "@" + d + (pushed == null ? "" : ": pushed at " + pushed)
                + (pulled == null ? "" : (pushed == null ? ": " : ", ") + "last pulled at " + pulled));
        return 0;
    }
}
