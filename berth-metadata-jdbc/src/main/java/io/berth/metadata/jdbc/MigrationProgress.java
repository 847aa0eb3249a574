package io.berth.metadata.jdbc;

import java.util.Locale;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.BaseCallback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs schema migrations applied at start (nothing when the schema is current): a line when a migration crosses a
 * tenth of the schema versions and one for the last, with the share reached and an ETA from the pace so far, so that a long upgrade (a large PostgreSQL database)
 * shows it is moving. Versions are consecutive integers up to {@link JdbcMetadataStore#SCHEMA_VERSION}, which makes
 * the latest version the total without asking Flyway for its pending list (that would cost every start a scan).
 */
final class MigrationProgress extends BaseCallback {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationProgress.class);

    private final long latest;
    private long started;
    private int applied;
    private long lastTenth = -1;

    MigrationProgress(String latestVersion) {
        this.latest = Long.parseLong(latestVersion);
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_MIGRATE || event == Event.AFTER_EACH_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true; // it only logs
    }

    @Override
    public void handle(Event event, Context context) {
        if (event == Event.BEFORE_MIGRATE) {
            started = System.nanoTime();
            return;
        }
        MigrationInfo m = context.getMigrationInfo();
        if (m == null || m.getVersion() == null) {
            return;
        }
        applied++;
        String version = m.getVersion().getVersion();
        long tenth = tenth(version);
        if (tenth != lastTenth || tenth >= 10) {
            lastTenth = tenth;
            LOG.info(line(version, m.getDescription(), applied, System.nanoTime() - started));
        }
    }

    /** Which tenth of the versions {@code version} reaches (10 at the latest); -2 for one that is no integer. */
    long tenth(String version) {
        try {
            return latest > 0 ? Math.min(10, Long.parseLong(version) * 10 / latest) : 10;
        } catch (NumberFormatException e) {
            return -2;
        }
    }

    /** {@code schema migration V5 (tags) applied: version 5 of 24 (20%), ETA 0:02}. */
    String line(String version, String description, int appliedSoFar, long elapsedNanos) {
        long v;
        try {
            v = Long.parseLong(version);
        } catch (NumberFormatException e) {
            return "schema migration V" + version + " (" + description + ") applied";
        }
        long pct = latest > 0 ? Math.min(100, v * 100 / latest) : 100;
        String text = String.format(Locale.ROOT, "schema migration V%s (%s) applied: version %d of %d (%d%%)", version,
                description, v, latest, pct);
        if (v < latest && appliedSoFar > 0) {
            long eta = elapsedNanos / appliedSoFar * (latest - v) / 1_000_000_000L;
            text += String.format(Locale.ROOT, ", ETA %d:%02d", eta / 60, eta % 60);
        }
        return text;
    }
}
