package io.berth.server.boot;

import io.berth.core.job.EventTriggers;
import io.berth.core.job.JobRunner;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job runner and the event triggers that feed it, as one of {@code serve}'s background services: their own
 * threads, started before the port opens.
 */
final class JobService implements BackgroundService {
    private static final Logger LOG = LoggerFactory.getLogger(JobService.class);

    private final JobRunner runner;
    private final EventTriggers triggers;
    private final List<String> disabled;

    /** @param disabled one line per schedule left out by configuration, logged at start */
    JobService(JobRunner runner, EventTriggers triggers, List<String> disabled) {
        this.runner = runner;
        this.triggers = triggers;
        this.disabled = List.copyOf(disabled);
    }

    @Override
    public String name() { return "jobs"; }

    @Override
    public void start() {
        disabled.forEach(LOG::info);
        runner.start();
        triggers.start();
    }

    @Override
    public void close() {
        triggers.close();
        runner.close();
    }
}
