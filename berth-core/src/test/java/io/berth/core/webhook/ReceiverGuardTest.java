package io.berth.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue 14 §6: the SSRF guard on webhook receiver URLs. */
class ReceiverGuardTest {
    private final ReceiverGuard strict = new ReceiverGuard(false, () -> Set.of(5000));
    private final ReceiverGuard allowing = new ReceiverGuard(true, () -> Set.of(5000));

    @Test
    void loopbackLinkLocalUnspecifiedAndOtherSchemes_areRefused_byDefault() {
        for (String url : new String[] {"http://127.0.0.1:9000/hook", "http://localhost/hook",
                "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/hook", "http://[::1]:8080/",
                "http://0.0.0.0/", "http://127.5.6.7/", "ftp://example.com/", "file:///etc/passwd",
                "http://user:pw@93.184.216.34/", "not a url"}) {
            assertThat(strict.refusal(url)).as("refusal of %s", url).isPresent();
        }
        assertThat(strict.refusal("http://169.254.169.254/").orElseThrow()).contains("webhooks.allow-private");
    }

    @Test
    void aPublicAddress_isAllowed() {
        assertThat(strict.refusal("https://93.184.216.34/hook")).isEmpty();
        assertThat(strict.refusal("http://93.184.216.34:5000/hook")).as("port 5000 of another host").isEmpty();
    }

    @Test
    void allowPrivate_allowsLoopbackAndLinkLocal_butNeverBerthItself() {
        assertThat(allowing.refusal("http://127.0.0.1:9000/hook")).isEmpty();
        assertThat(allowing.refusal("http://169.254.169.254/")).isEmpty();
        assertThat(allowing.refusal("http://127.0.0.1:5000/v2/").orElseThrow()).contains("Berth itself");
        assertThat(allowing.refusal("http://localhost:5000/").orElseThrow()).contains("Berth itself");
    }
}
