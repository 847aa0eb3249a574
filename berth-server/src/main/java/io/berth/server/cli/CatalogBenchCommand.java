package io.berth.server.cli;

import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.server.boot.BerthApp;
import io.berth.server.boot.Stores;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code berth bench-catalog}: fills a data directory with {@code --repos} empty repositories
 * ({@code catalog/r000000} …), written straight through the metadata store in large transactions, so that the
 * benchmark (berth-bench's {@code catalog-scale} scenario) can then serve that directory and time the catalog and
 * DescribeRepositories at 100,000 repositories without pushing 100,000 images first. Takes the same {@code --data}
 * and {@code --metadata*} options as {@code serve}, and the same {@code BERTH_*} environment.
 */
@Command(name = "bench-catalog", mixinStandardHelpOptions = true,
        description = "Fill a data directory with empty repositories for the catalog benchmark.")
public final class CatalogBenchCommand implements Callable<Integer> {
    private static final int BATCH = 5000;

    @Mixin
    CommonOptions common;

    @Option(names = "--repos", paramLabel = "N", description = "Repositories to create (default 100000)")
    int repos = 100_000;

    /** The name of the {@code i}-th repository; berth-bench pages by these. */
    static String name(int i) {
        return String.format(Locale.ROOT, "catalog/r%06d", i);
    }

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        try (Stores stores = BerthApp.openStores(common.load(Map.of()))) {
            Instant now = Instant.now();
            for (int from = 0; from < repos; from += BATCH) {
                int start = from;
                stores.metadata().write(tx -> {
                    for (int i = start; i < Math.min(repos, start + BATCH); i++) {
                        tx.repositories().getOrCreate(RegistryId.DEFAULT, RepositoryName.of(name(i)), now);
                    }
                    return null;
                });
            }
        }
        System.out.printf(Locale.ROOT, "bench-catalog: %d repositories created in %.1f s%n", repos,
                (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
