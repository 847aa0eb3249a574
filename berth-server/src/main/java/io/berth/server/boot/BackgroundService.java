package io.berth.server.boot;

/**
 * Work {@code serve} does besides answering requests (the job runner, which runs GC and audit pruning as jobs), each on a bounded
 * executor of its own: Jetty's pool is for requests, and a long pass must never take a request's thread.
 * {@link BerthApp} starts them before the port opens and stops them after it has closed.
 */
public interface BackgroundService extends AutoCloseable {
    /** For logs. */
    String name();

    /** Schedules the work on the service's own threads and returns at once; a disabled service logs why. */
    void start();

    /** Stops the threads; a pass in progress is interrupted. */
    @Override
    void close();
}
