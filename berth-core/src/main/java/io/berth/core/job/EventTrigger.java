package io.berth.core.job;

import io.berth.core.spi.meta.RegistryEvent;
import java.util.Optional;

/**
 * A job started by an event: scan on push, replication of a pushed image, a webhook delivery. Each trigger reads the
 * event stream as its own durable subscriber ({@link #subscriber}), so it sees every event committed after it was
 * first registered, including those committed while no node ran.
 */
public interface EventTrigger {

    /** The trigger's subscriber name in the event stream; stable across releases, since it holds a position. */
    String subscriber();

    /** The job this event starts, or empty when the event does not concern this trigger. */
    Optional<TriggeredJob> jobFor(RegistryEvent event);

    /** Every job this event starts (replication starts one per destination); by default {@link #jobFor}'s. */
    default java.util.List<TriggeredJob> jobsFor(RegistryEvent event) {
        return jobFor(event).stream().toList();
    }

    /**
     * @param uniqueKey null for none; else no second unfinished job with this key is enqueued (two pushes of one
     *                  image while its scan waits make one scan)
     */
    record TriggeredJob(String kind, String target, String uniqueKey, int maxAttempts) {}
}
