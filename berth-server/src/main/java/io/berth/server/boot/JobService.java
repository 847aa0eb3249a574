package io.berth.server.boot;

import io.berth.core.job.JobRunner;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The job runner as one of {@code serve}'s background services: its own threads, started before the port opens. */
final class JobService implements BackgroundService {
    private static final Logger LOG = LoggerFactory.getLogger(JobService.class);

    private final JobRunner runner;
    private final List<String> disabled;

    /** @param disabled one line per schedule left out by configuration, logged at start */
    JobService(JobRunner runner, List<String> disabled) {
        this.runner = runner;
        this.disabled = List.copyOf(disabled);
    }

    @Override
    public String name() { return "jobs"; }

    @Override
    public void start() {
        disabled.forEach(LOG::info);
        runner.start();
    }

    @Override
    public void close() {
        runner.close();
    }
}
