/**
 * Prometheus metrics ({@code GET /metrics}) through Micrometer: requests by API plane, operation and status with
 * latency histograms, bytes in and out, blob-store and database latency (decorators on the two SPIs, not code in
 * every store), jobs (runs by kind and outcome, unfinished jobs by kind and state), GC, scanning, JVM and process.
 * Labels never carry repository names, digests or anything else a client chooses: the OCI operation is the route
 * table's ECR action, an AWS operation is labelled only once the plane has accepted it as one of its own.
 */
package io.berth.server.metrics;
