package io.berth.server.config;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * {@code tracing.*}: OpenTelemetry traces, off unless {@code endpoint} is set. Spans go to an OTLP/HTTP receiver (a
 * collector, Jaeger, Tempo) at {@code endpoint}: a base such as {@code http://collector:4318}, to which
 * {@code /v1/traces} is added, or the full traces URL. {@code sampleRatio} is the share of requests traced when
 * the caller sent no {@code traceparent} (one that did is traced as its caller decided).
 *
 * @param endpoint    the OTLP/HTTP traces URL (with {@code /v1/traces}); empty: tracing off, nothing is wrapped
 * @param serviceName the {@code service.name} of the spans' resource
 * @param sampleRatio 0 to 1
 */
public record TracingConfig(Optional<URI> endpoint, String serviceName, double sampleRatio) {
    public static final ConfigKey ENDPOINT = ConfigKey.withoutDefault("tracing.endpoint");
    public static final ConfigKey SERVICE_NAME = ConfigKey.of("tracing.service-name", "berth");
    public static final ConfigKey SAMPLE_RATIO = ConfigKey.of("tracing.sample-ratio", "1.0");
    static final String TRACES_PATH = "/v1/traces";

    static final ConfigSection<TracingConfig> SECTION = new ConfigSection<>("tracing",
            List.of(ENDPOINT, SERVICE_NAME, SAMPLE_RATIO), TracingConfig::read);

    public static final TracingConfig OFF = new TracingConfig(Optional.empty(), "berth", 1.0);

    public boolean enabled() { return endpoint.isPresent(); }

    private static TracingConfig read(ConfigValues v) {
        Optional<URI> endpoint = v.nonBlank(ENDPOINT).flatMap(s -> tracesUrl(v, s.trim()));
        String service = v.nonBlank(SERVICE_NAME).map(String::trim).orElse("berth");
        double ratio = 1.0;
        String raw = v.nonBlank(SAMPLE_RATIO).orElse("1.0").trim();
        try {
            ratio = Double.parseDouble(raw);
            if (!(ratio >= 0 && ratio <= 1)) {
                v.problem("tracing.sample-ratio must be between 0 and 1, got " + raw);
            }
        } catch (NumberFormatException e) {
            v.problem("tracing.sample-ratio must be a number between 0 and 1, got '" + raw + "'");
        }
        return new TracingConfig(endpoint, service, ratio);
    }

    private static Optional<URI> tracesUrl(ConfigValues v, String s) {
        try {
            URI u = new URI(s);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                v.problem("tracing.endpoint must be an http(s) URL such as http://collector:4318, got '" + s + "'");
                return Optional.empty();
            }
            String path = u.getPath() == null ? "" : u.getPath();
            if (path.endsWith(TRACES_PATH)) {
                return Optional.of(u);
            }
            return Optional.of(URI.create(s.replaceAll("/+$", "") + TRACES_PATH));
        } catch (java.net.URISyntaxException e) {
            v.problem("tracing.endpoint is not a URL: '" + s + "'");
            return Optional.empty();
        }
    }
}
