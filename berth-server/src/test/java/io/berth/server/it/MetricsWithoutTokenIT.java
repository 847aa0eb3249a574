package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Without {@code management.token} the main port has no {@code /metrics} at all, with or without credentials. */
class MetricsWithoutTokenIT {
    @RegisterExtension
    static final TestServer SERVER = new TestServer();

    @Test
    void mainPort_answers404() throws Exception {
        assertThat(SERVER.send(SERVER.anonymous("/metrics")).statusCode()).isEqualTo(404);
        assertThat(SERVER.get("/metrics").statusCode()).as("with registry credentials").isEqualTo(404);
        assertThat(SERVER.send(SERVER.anonymous("/metrics").header("Authorization", "Bearer anything-at-all-123"))
                .statusCode()).isEqualTo(404);
        assertThat(SERVER.app().management()).as("no management port unless management.listen").isEmpty();
    }
}
