package io.berth.server;

import io.berth.core.gc.GarbageCollector;
import io.berth.core.model.RegistryId;
import io.berth.core.service.RegistryService;
import io.berth.core.service.RegistryServices;
import io.berth.core.service.ServiceOptions;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.server.config.BerthConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;

/**
 * The one place that chooses implementations: blob store, metadata store, registry service, garbage collector.
 * {@code serve}, {@code gc} and the integration tests all build through here, so they run the same objects.
 */
public final class Wiring implements AutoCloseable {
    private final BlobStore blobs;
    private final MetadataStore metadata;
    private final RegistryServices services;
    private final Clock clock = Clock.systemUTC();

    private Wiring(BlobStore blobs, MetadataStore metadata, boolean createOnPush) {
        this.blobs = blobs;
        this.metadata = metadata;
        this.services = new RegistryServices(blobs, metadata, clock,
                ServiceOptions.singleNode().withCreateOnPush(createOnPush));
    }

    /** True once the storage backends are on the classpath (merged from main); ITs skip themselves until then. */
    public static boolean available() {
        return BACKENDS_MERGED;
    }

    private static final boolean BACKENDS_MERGED = true;

    public static Wiring open(BerthConfig config) {
        try {
            Files.createDirectories(config.storage().data());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + config.storage().data(), e);
        }
        BlobStore blobs = openBlobStore(config);
        try {
            return new Wiring(blobs, openMetadata(config), config.registry().createOnPush());
        } catch (RuntimeException e) {
            closeQuietly(blobs);
            throw e;
        }
    }

    private static BlobStore openBlobStore(BerthConfig config) {
        try {
            return new io.berth.core.blob.fs.FileSystemBlobStore(config.storage().data());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open blob store in " + config.storage().data(), e);
        }
    }

    private static MetadataStore openMetadata(BerthConfig config) {
        return io.berth.metadata.jdbc.JdbcMetadataStore.open(switch (config.metadata().type()) {
            case SQLITE -> io.berth.metadata.jdbc.JdbcConfig.sqlite(config.sqliteFile());
            case POSTGRES -> io.berth.metadata.jdbc.JdbcConfig.postgres(config.metadata().url().orElseThrow(),
                    config.metadata().user().orElse(null), config.metadata().password().orElse(null));
        });
    }

    /** The default registry's data plane (the OCI plane serves the default registry until accounts exist). */
    public RegistryService service() { return services.forRegistry(RegistryId.DEFAULT); }

    /** Every registry's data plane and control operations. */
    public RegistryServices services() { return services; }

    public Clock clock() { return clock; }

    public BlobStore blobs() { return blobs; }

    public MetadataStore metadata() { return metadata; }

    public GarbageCollector garbageCollector(Duration grace) {
        return new GarbageCollector(blobs, metadata, grace, clock);
    }

    /** For {@code /readyz}. */
    public void checkHealth() throws IOException {
        blobs.checkHealth();
        metadata.checkHealth();
    }

    @Override
    public void close() {
        try {
            metadata.close();
        } finally {
            closeQuietly(blobs);
        }
    }

    private static void closeQuietly(BlobStore blobs) {
        try {
            blobs.close();
        } catch (IOException | RuntimeException ignored) {
            // shutting down: nothing useful to do with a close failure
        }
    }
}
