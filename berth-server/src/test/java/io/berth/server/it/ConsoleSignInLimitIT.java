package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Brute force on the console's sign-in: after five failures from one address in a minute, even the right secret is
 * refused with 429 and Retry-After until the window ends (its own server, since the limit is per address).
 */
class ConsoleSignInLimitIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    @Test
    void failedSignInsFromOneAddressAreRateLimited() throws Exception {
        ConsoleBrowser b = new ConsoleBrowser(server.port());
        for (int i = 0; i < 5; i++) {
            assertThat(b.signIn(TestServer.ROOT_KEY_ID, "guess-" + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> limited = b.signIn(TestServer.ROOT_KEY_ID, TestServer.ROOT_SECRET);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(v ->
                assertThat(Long.parseLong(v)).isBetween(1L, 60L));
        assertThat(b.cookies).doesNotContainKey("berth_console");
        assertThat(b.get("/console/repositories").statusCode()).isEqualTo(303);
    }
}
