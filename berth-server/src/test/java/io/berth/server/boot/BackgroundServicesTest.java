package io.berth.server.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackgroundServicesTest {
    private final List<String> events = new ArrayList<>();

    private BackgroundService service(String name, boolean failOnClose) {
        return new BackgroundService() {
            @Override
            public String name() { return name; }

            @Override
            public void start() { events.add("start " + name); }

            @Override
            public void close() {
                events.add("close " + name);
                if (failOnClose) {
                    throw new IllegalStateException("cannot stop " + name);
                }
            }
        };
    }

    @Test
    void startsInOrder_closesInReverse_evenWhenOneFailsToClose() {
        BackgroundServices services = new BackgroundServices(List.of(service("gc", false),
                service("audit-prune", true), service("jobs", false)));
        services.start();
        services.close();
        assertThat(events).containsExactly("start gc", "start audit-prune", "start jobs",
                "close jobs", "close audit-prune", "close gc");
    }

    @Test
    void close_stopsOnlyWhatStarted_andOnlyOnce() {
        BackgroundServices services = new BackgroundServices(List.of(service("gc", false)));
        services.close();
        assertThat(events).as("never started, nothing to close").isEmpty();
        services.start();
        services.close();
        services.close();
        assertThat(events).containsExactly("start gc", "close gc");
    }
}
