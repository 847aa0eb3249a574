package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.server.config.AuthConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Console sessions are shared by the nodes over one PostgreSQL schema: a cookie from node A is honoured by node B
 * behind the same load balancer, and signing out on B ends the session on A too.
 */
class ConsoleNodesIT {
    /** The nodes of one deployment share the master key the access keys' secrets are sealed under. */
    private static final String MASTER_KEY = java.util.Base64.getEncoder().encodeToString(new byte[32]);
    @RegisterExtension
    static final TestServer a = new TestServer().onPostgres().with(AuthConfig.MASTER_KEY, MASTER_KEY);
    @RegisterExtension
    static final TestServer b = new TestServer().sharingMetadataWith(a).with(AuthConfig.MASTER_KEY, MASTER_KEY);

    @Test
    void aSessionStartedOnOneNodeIsHonouredAndEndedOnTheOther() throws Exception {
        ConsoleBrowser onA = new ConsoleBrowser(a.port());
        assertThat(onA.signIn(TestServer.ROOT_KEY_ID, TestServer.ROOT_SECRET).statusCode()).isEqualTo(303);
        String cookie = onA.cookies.get("berth_console");
        assertThat(cookie).hasSize(43);
        String stored = a.app().stores().metadata().read(tx -> tx.consoleSessions().get(cookie).isPresent()
                ? "the plain ID" : "hash only");
        assertThat(stored).isEqualTo("hash only");

        ConsoleBrowser onB = new ConsoleBrowser(b.port());
        onB.cookies.put("berth_console", cookie);
        assertThat(onB.get("/console/repositories").statusCode()).as("node B honours A's cookie").isEqualTo(200);
        // node B derives the same CSRF token: a form served by A posts to B
        assertThat(onB.lastCsrf).isEqualTo(onA.get("/console/repositories").statusCode() == 200 ? onA.lastCsrf
                : null);
        assertThat(onB.post("/console/repositories", "csrf", onA.lastCsrf, "name", "nodes/console").statusCode())
                .isEqualTo(303);
        assertThat(onB.post("/console/signout", "csrf", onB.lastCsrf).statusCode()).isEqualTo(303);
        onA.cookies.put("berth_console", cookie);
        assertThat(onA.get("/console/repositories").statusCode()).as("signed out on B: A refuses too")
                .isEqualTo(303);
    }
}
