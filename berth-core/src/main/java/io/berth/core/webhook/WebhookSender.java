package io.berth.core.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

/**
 * One signed POST of one envelope. Redirects are not followed (a redirect to a private address would pass the
 * {@link ReceiverGuard}), and every call is bounded by a connect and a response timeout, so a slow receiver holds a
 * delivery thread for at most {@link #TIMEOUT}.
 */
public final class WebhookSender {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** What one attempt got: the HTTP status (0 for none) and, when it failed, why. */
    public record Outcome(int status, String error) {
        public boolean delivered() { return error == null; }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final ReceiverGuard guard;
    private final Clock clock;

    public WebhookSender(ReceiverGuard guard, Clock clock) {
        this.guard = guard;
        this.clock = clock;
    }

    public Outcome send(String url, String secret, EventEnvelopes.Envelope env, int attempt) {
        var refused = guard.refusal(url);
        if (refused.isPresent()) {
            return new Outcome(0, "refused: " + refused.get());
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Berth-Webhooks")
                .header(WebhookSignature.HEADER, WebhookSignature.header(secret, clock.instant(), env.json()))
                .header(WebhookSignature.EVENT_ID_HEADER, env.id())
                .header(WebhookSignature.ATTEMPT_HEADER, Integer.toString(attempt))
                .POST(HttpRequest.BodyPublishers.ofString(env.json())).build();
        try {
            HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
            int s = r.statusCode();
            return s / 100 == 2 ? new Outcome(s, null) : new Outcome(s, "HTTP " + s);
        } catch (IOException e) {
            return new Outcome(0, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(0, "interrupted");
        }
    }
}
