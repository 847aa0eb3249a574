/**
 * OpenTelemetry traces ({@code tracing.*}), off unless {@code tracing.endpoint} is set: one server span per request
 * (named by API and operation, with the status and the access log's request ID), and under it a span per blob-store
 * call and database transaction, exported over OTLP/HTTP by the JDK's own HTTP client. The only package that sees
 * the OpenTelemetry SDK (BoundariesTest); with tracing off nothing here is built.
 */
package io.berth.server.tracing;
