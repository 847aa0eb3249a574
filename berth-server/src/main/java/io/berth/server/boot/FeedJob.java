package io.berth.server.boot;

import io.berth.core.job.JobContext;
import io.berth.core.job.JobHandler;
import io.berth.core.scanning.ContinuousRescans;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.scanner.vulndb.feeds.FeedRefresher;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job kind {@code vulndb-feeds}: checks every configured feed ({@code scanning.feeds}) once, conditionally, and
 * imports those that changed; each changed source then has its continuous rescan queued. A feed that fails fails
 * the job (retried with backoff) after the others were checked, with every failure in its error.
 */
final class FeedJob implements JobHandler {
    static final String KIND = "vulndb-feeds";
    static final int MAX_ATTEMPTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(FeedJob.class);

    private final List<URI> feeds;
    private final FeedRefresher refresher;
    private final MetadataStore metadata;
    private final Clock clock;

    FeedJob(List<URI> feeds, FeedRefresher refresher, MetadataStore metadata, Clock clock) {
        this.feeds = List.copyOf(feeds);
        this.refresher = refresher;
        this.metadata = metadata;
        this.clock = clock;
    }

    @Override
    public String kind() { return KIND; }

    @Override
    public void run(JobContext context) throws Exception {
        List<String> failures = new ArrayList<>();
        int done = 0;
        for (URI feed : feeds) {
            try {
                FeedRefresher.Outcome o = refresher.refresh(feed);
                LOG.info("vulndb feed {}: {}", feed, o.summary());
                if (o.changed()) {
                    ContinuousRescans.afterImport(metadata, o.source().orElseThrow(), clock.instant());
                }
            } catch (java.io.IOException | RuntimeException e) {
                LOG.warn("vulndb feed {} failed: {}", feed, e.getMessage());
                failures.add(feed + ": " + e.getMessage());
            }
            done++;
            context.progress(done + " of " + feeds.size() + " feeds checked", done * 100 / feeds.size());
        }
        if (!failures.isEmpty()) {
            throw new java.io.IOException(String.join("; ", failures));
        }
    }
}
