package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.berth.core.model.MediaTypes;
import io.berth.server.config.TracingConfig;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14 §2: OpenTelemetry traces, exported over OTLP/HTTP to a real receiver on a random port, which parses the
 * protobuf with the protocol's own classes. A push through the server gives a server span per request, named by
 * API and operation, with the status and the access log's request ID; the database transactions and blob-store
 * calls it made are its children. A caller's {@code traceparent} is continued.
 */
class TracingIT {
    /** Every span the receiver was sent, and the resources' service names. */
    static final List<Span> SPANS = new CopyOnWriteArrayList<>();
    static final List<String> SERVICES = new CopyOnWriteArrayList<>();
    static final List<String> CONTENT_TYPES = new CopyOnWriteArrayList<>();
    static final HttpServer RECEIVER = receiver();

    @RegisterExtension
    static final TestServer SERVER = new TestServer()
            .with(TracingConfig.ENDPOINT, "http://127.0.0.1:" + RECEIVER.getAddress().getPort())
            .with(TracingConfig.SERVICE_NAME, "berth-tracing-it");

    @RegisterExtension
    static final TestServer UNTRACED = new TestServer();

    static HttpServer receiver() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.createContext("/v1/traces", exchange -> {
                CONTENT_TYPES.add(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
                ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(exchange.getRequestBody()
                        .readAllBytes());
                req.getResourceSpansList().forEach(rs -> {
                    rs.getResource().getAttributesList().stream().filter(a -> a.getKey().equals("service.name"))
                            .forEach(a -> SERVICES.add(a.getValue().getStringValue()));
                    rs.getScopeSpansList().forEach(ss -> SPANS.addAll(ss.getSpansList()));
                });
                byte[] ok = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, ok.length == 0 ? -1 : ok.length);
                exchange.getResponseBody().write(ok);
                exchange.close();
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.stop(0);
    }

    static String attr(Span s, String key) {
        return s.getAttributesList().stream().filter(a -> a.getKey().equals(key)).map(KeyValue::getValue)
                .map(v -> v.hasIntValue() ? Long.toString(v.getIntValue()) : v.getStringValue()).findFirst()
                .orElse(null);
    }

    /** Waits (flushing the exporter) until a span matches. */
    static Span awaitSpan(Predicate<Span> p, String what) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            SERVER.app().tracing().flush();
            Optional<Span> s = SPANS.stream().filter(p).findFirst();
            if (s.isPresent()) {
                return s.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no span " + what + " among " + SPANS.stream().map(Span::getName).toList());
    }

    static List<Span> children(Span parent) {
        return SPANS.stream().filter(s -> s.getParentSpanId().equals(parent.getSpanId())
                && s.getTraceId().equals(parent.getTraceId())).toList();
    }

    @Test
    void aPush_givesRequestSpans_withDatabaseAndBlobStoreChildren_andTheRequestId() throws Exception {
        SERVER.ecr().createRepository(b -> b.repositoryName("traced/app"));
        Ecr.Pushed pushed = Ecr.blobs(SERVER, "traced/app", 7);
        HttpResponse<byte[]> put = SERVER.putManifest("traced/app", "v1", MediaTypes.OCI_MANIFEST,
                pushed.manifest());
        assertThat(put.statusCode()).isEqualTo(201);
        String requestId = put.headers().firstValue("x-amzn-RequestId").orElseThrow();

        Span manifest = awaitSpan(s -> requestId.equals(attr(s, "berth.request_id")), "with request " + requestId);
        assertThat(manifest.getName()).isEqualTo("oci PutImage");
        assertThat(manifest.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(attr(manifest, "http.response.status_code")).isEqualTo("201");
        assertThat(attr(manifest, "http.request.method")).isEqualTo("PUT");
        assertThat(manifest.getParentSpanId().isEmpty()).as("a root span: the client sent no traceparent").isTrue();
        awaitSpan(s -> s.getParentSpanId().equals(manifest.getSpanId()) && s.getName().startsWith("metadata "),
                "metadata under the manifest PUT");
        assertThat(children(manifest)).extracting(Span::getName).contains("metadata write")
                .allSatisfy(n -> assertThat(n).matches("(metadata|blobstore) [a-z_]+"));
        assertThat(children(manifest)).allSatisfy(c -> {
            assertThat(c.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
            assertThat(c.getStartTimeUnixNano()).isGreaterThanOrEqualTo(manifest.getStartTimeUnixNano());
            assertThat(c.getEndTimeUnixNano()).isLessThanOrEqualTo(manifest.getEndTimeUnixNano());
        });

        // the blob uploads: a server span each, with the blob store's calls under it
        Span upload = awaitSpan(s -> s.getName().startsWith("oci ") && attr(s, "url.path") != null
                && attr(s, "url.path").startsWith("/v2/traced/app/blobs/uploads")
                && children(s).stream().anyMatch(c -> c.getName().startsWith("blobstore ")), "an upload");
        assertThat(children(upload)).extracting(Span::getName).contains("blobstore commit");
        assertThat(attr(upload, "berth.request_id")).matches("[0-9a-f-]{36}");
        assertThat(SERVICES).contains("berth-tracing-it");
        assertThat(CONTENT_TYPES).allMatch(t -> t.startsWith("application/x-protobuf"));
    }

    @Test
    void aCallersTraceparent_isContinued_andAnErrorIsNamedByItsOperation() throws Exception {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String parentId = "00f067aa0ba902b7";
        HttpResponse<byte[]> r = SERVER.get("/v2/traced/none/manifests/latest", "Accept", MediaTypes.OCI_MANIFEST,
                "traceparent", "00-" + traceId + "-" + parentId + "-01");
        assertThat(r.statusCode()).isEqualTo(404);
        String requestId = r.headers().firstValue("x-amzn-RequestId").orElseThrow();
        Span span = awaitSpan(s -> requestId.equals(attr(s, "berth.request_id")), "with request " + requestId);
        assertThat(HexFormat.of().formatHex(span.getTraceId().toByteArray())).isEqualTo(traceId);
        assertThat(HexFormat.of().formatHex(span.getParentSpanId().toByteArray())).isEqualTo(parentId);
        assertThat(span.getName()).isEqualTo("oci BatchGetImage");
        assertThat(attr(span, "http.response.status_code")).isEqualTo("404");
    }

    @Test
    void withoutAnEndpoint_tracingIsOff() {
        assertThat(UNTRACED.app().tracing().enabled()).isFalse();
        assertThat(SERVER.app().tracing().enabled()).isTrue();
    }
}
