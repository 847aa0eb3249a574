package io.berth.server.http.aws;

import io.berth.core.auth.Principal;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.server.auth.ApiRequests;
import io.berth.server.auth.Authenticator;
import io.berth.server.throttling.Throttle;
import java.io.IOException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * Admits a signed AWS API call ({@code POST /}: ECR and STS) in the order that keeps an unauthenticated client from
 * costing memory: authenticate from the headers alone, then read the body within its {@link BodyLimit} and the
 * shared {@link BodyBudget} while hashing it, then compare the signature. A call refused before its body was read
 * leaves that body unread: a large one (or a chunked one) closes the connection rather than have Jetty drain it,
 * while a small one keeps the connection, Jetty consuming what has already arrived without blocking.
 */
public final class SignedApiCalls {
    /** Bodies up to this size may stay unread on a kept-alive connection (Jetty consumes them if they arrived). */
    static final long KEEP_ALIVE_UNREAD_BYTES = 64 * 1024;
    /** Seconds a throttled client is asked to wait. */
    static final String RETRY_AFTER_SECONDS = "1";

    private final Authenticator authenticator;
    private final BodyBudget budget;
    private final Throttle throttle;

    public SignedApiCalls(Authenticator authenticator, BodyBudget budget) {
        this(authenticator, budget, Throttle.OFF);
    }

    /** @param throttle the request quotas, checked before the body is read and charged once the signature holds */
    public SignedApiCalls(Authenticator authenticator, BodyBudget budget, Throttle throttle) {
        this.authenticator = authenticator;
        this.budget = budget;
        this.throttle = throttle;
    }

    public BodyBudget budget() { return budget; }

    /** An authenticated call and its body; closing releases the body's reservation. */
    public record Admitted(Principal principal, ApiBody body) implements AutoCloseable {
        public byte[] bytes() { return body.bytes(); }

        @Override
        public void close() { body.close(); }
    }

    /**
     * Authenticates the call as signed for {@code signingService} and reads it. Throws the authentication errors,
     * RequestEntityTooLargeException, ThrottlingException (with {@code Retry-After}) or SerializationException;
     * the response is then prepared for an error answer whose body was not read.
     */
    public Admitted admit(Request request, Response response, String signingService, BodyLimit limit)
            throws IOException {
        return admit(request, response, signingService, limit, null);
    }

    /**
     * {@link #admit(Request, Response, String, BodyLimit)}, charging {@code operation} (as named before the body,
     * null when the call names none there) to the signing key's account. An empty bucket refuses as soon as the key
     * is found, leaving the body unread; a token is taken only once the signature, which covers the body, holds.
     * A client that knows a key ID but not its secret thus cannot spend that account's quota.
     */
    public Admitted admit(Request request, Response response, String signingService, BodyLimit limit,
                          String operation) throws IOException {
        ApiBody body;
        Authenticator.PendingApiCall pending;
        String account;
        try {
            pending = authenticator.beginApiCall(ApiRequests.from(request, null), signingService);
            account = throttle.enabled() && pending.claimedAccount() != null ? pending.claimedAccount().value() : null;
            throttle.refuseIfEmpty(account, operation, response);
            body = ApiBody.read(request, limit, budget);
        } catch (RegistryException e) {
            refusedUnread(request, response, e.code());
            throw e;
        }
        try {
            Principal principal = pending.finish(body.sha256Hex());
            throttle.admit(account, operation, response);
            return new Admitted(principal, body);
        } catch (RuntimeException | Error e) {
            body.close();
            throw e;
        }
    }

    private static void refusedUnread(Request request, Response response, ErrorCode code) {
        if (code == ErrorCode.TOO_MANY_REQUESTS && !response.getHeaders().contains(HttpHeader.RETRY_AFTER)) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        long length = request.getLength();
        boolean http1 = request.getConnectionMetaData().getHttpVersion().getVersion() < HttpVersion.HTTP_2
                .getVersion();
        if (http1 && (length < 0 || length > KEEP_ALIVE_UNREAD_BYTES)) {
            // HTTP/2 resets just the stream; on HTTP/1.1 the unread body would otherwise have to be drained
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
    }
}
