package io.berth.server.throttling;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.server.config.ThrottlingConfig;
import io.berth.server.metrics.RequestLabels;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;

/**
 * The request quotas: one {@link TokenBucket} per account and operation that has a rate. Both planes name the
 * operation as ECR does ({@code /v2/} by its route's action: a manifest GET is {@code BatchGetImage}, a blob GET
 * {@code GetDownloadUrlForLayer}), so {@code docker pull} and the API share an account's quota, as on ECR.
 * Buckets exist only for configured operations and authenticated accounts, so their number is bounded.
 */
public final class Throttle {
    /** ECR's default TPS quotas per account and region (ecr-semantics §2.15, the Service Quotas page). */
    public static final Map<String, Double> ECR_QUOTAS = ecrQuotas();

    public static final Throttle OFF = new Throttle(Map.of(), System::nanoTime);

    private final Map<String, Double> rates;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final LongSupplier nanos;

    Throttle(Map<String, Double> rates, LongSupplier nanos) {
        this.rates = Map.copyOf(rates);
        this.nanos = nanos;
    }

    public static Throttle of(ThrottlingConfig config) {
        Map<String, Double> rates = new LinkedHashMap<>();
        switch (config.mode()) {
            case OFF -> { return OFF; }
            case ECR -> rates.putAll(ECR_QUOTAS);
            case CUSTOM -> { }
        }
        rates.putAll(config.rates());
        return new Throttle(rates, System::nanoTime);
    }

    public boolean enabled() { return !rates.isEmpty(); }

    /** The configured rate of an operation (requests per second), or null when it is not throttled. */
    public Double rate(String operation) { return rates.get(operation); }

    /**
     * Takes a token for {@code operation} in {@code account}'s bucket, or refuses with TOO_MANY_REQUESTS
     * ({@code ThrottlingException} on the AWS plane, 429 {@code TOOMANYREQUESTS} on {@code /v2/}), having put
     * {@code Retry-After} (whole seconds, at least 1) on the response. Call it once the caller is authenticated:
     * whoever reaches it spends the account's quota.
     *
     * @param operation ECR's operation name; unthrottled (and null) names pass without a lookup
     */
    public void admit(String account, String operation, Response response) {
        refuseOrCharge(account, operation, response, true);
    }

    /**
     * Refuses as {@link #admit} does when the bucket is empty, but takes no token: the cheap refusal before a
     * signature is checked (ECR's body-covering signature needs the body read first). A caller who knows only a
     * key ID can thus learn that the account is being throttled, but never drain its quota.
     */
    public void refuseIfEmpty(String account, String operation, Response response) {
        refuseOrCharge(account, operation, response, false);
    }

    private void refuseOrCharge(String account, String operation, Response response, boolean charge) {
        if (operation == null || account == null) {
            return;
        }
        Double rate = rates.get(operation);
        if (rate == null) {
            return;
        }
        long now = nanos.getAsLong();
        TokenBucket bucket = buckets.computeIfAbsent(account + '/' + operation,
                k -> new TokenBucket(rate, Math.max(1, rate), now));
        long wait = charge ? bucket.take(now) : bucket.peek(now);
        if (wait > 0) {
            RequestLabels.operation(response.getRequest(), operation); // a configured name: a bounded label
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(Math.max(1, (wait + 999_999_999L)
                    / 1_000_000_000L)));
            throw new RegistryException(ErrorCode.TOO_MANY_REQUESTS, "Rate exceeded");
        }
    }

    private static Map<String, Double> ecrQuotas() {
        Map<String, Double> q = new LinkedHashMap<>();
        q.put("BatchCheckLayerAvailability", 1_000.0);
        q.put("BatchGetImage", 2_000.0);
        q.put("CompleteLayerUpload", 100.0);
        q.put("GetAuthorizationToken", 500.0);
        q.put("GetDownloadUrlForLayer", 3_000.0);
        q.put("InitiateLayerUpload", 100.0);
        q.put("PutImage", 10.0);
        q.put("UploadLayerPart", 500.0);
        return java.util.Collections.unmodifiableMap(q);
    }
}
