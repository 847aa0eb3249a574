package io.berth.server.boot;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The background services of one {@link BerthApp}: started in the order listed, closed in reverse. */
final class BackgroundServices implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundServices.class);

    private final List<BackgroundService> services;
    private final Deque<BackgroundService> started = new ArrayDeque<>();

    BackgroundServices(List<BackgroundService> services) {
        this.services = List.copyOf(services);
    }

    void start() {
        for (BackgroundService s : services) {
            s.start();
            started.push(s);
        }
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            BackgroundService s = started.pop();
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.warn("error stopping background service {}", s.name(), e);
            }
        }
    }
}
