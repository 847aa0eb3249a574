package io.berth.metadata.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.blob.fs.FileSystemBlobStore;
import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.core.model.Reference;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import io.berth.core.service.RegistryService;
import io.berth.core.service.StoreBackedRegistryService;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.meta.EventStore;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.RegistryEvent;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No event is lost or duplicated across a crash (issue 9 §1): a write that fails after its change rolls its event
 * back with it, and a subscriber that stops between read and ack reads the same events, at the same positions, from
 * the reopened database. SQLite, because a restart here is closing the database file and opening it again.
 */
class EventOutboxCrashTest {
    static final RepositoryName REPO = RepositoryName.of("crash/app");

    @TempDir
    Path dir;

    private MetadataStore open() {
        return JdbcMetadataStore.open(JdbcConfig.sqlite(dir.resolve("berth.db")));
    }

    /** Runs each write's work, then fails before the commit while armed: the change was made, then the crash. */
    private static final class FailingAfterTheChange implements MetadataStore {
        final MetadataStore delegate;
        boolean armed;

        FailingAfterTheChange(MetadataStore delegate) { this.delegate = delegate; }

        @Override public <T> T read(Function<Tx, T> work) { return delegate.read(work); }

        @Override
        public <T> T write(Function<Tx, T> work) {
            return delegate.write(tx -> {
                T result = work.apply(tx);
                if (armed) {
                    throw new IllegalStateException("injected failure after the change, before the commit");
                }
                return result;
            });
        }

        @Override public String describe() { return delegate.describe(); }
        @Override public void checkHealth() { delegate.checkHealth(); }
        @Override public void close() { delegate.close(); }
    }

    private static Digest blob(RegistryService s, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Digest d = Digest.sha256Of(bytes);
        s.uploadMonolithic(REPO, d, new ByteArrayInputStream(bytes), bytes.length);
        return d;
    }

    private static byte[] manifest(Digest config, Digest layer) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config + "\",\"size\":2},\"layers\":"
                + "[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + layer
                + "\",\"size\":5}]}").getBytes(StandardCharsets.UTF_8);
    }

    private static List<RegistryEvent> stream(MetadataStore m) {
        return m.read(tx -> tx.events().list(new EventStore.Filter(null, null, 0, 1000)));
    }

    @Test
    void aWriteThatFailsAfterItsChange_rollsBackItsEvent_andTheChange() throws Exception {
        try (BlobStore blobs = new FileSystemBlobStore(dir.resolve("blobs"))) {
            FailingAfterTheChange metadata = new FailingAfterTheChange(open());
            try {
                RegistryService service = new StoreBackedRegistryService(blobs, metadata, RegistryId.DEFAULT,
                        Clock.systemUTC());
                Digest config = blob(service, "{}");
                Digest layer = blob(service, "layer");
                List<RegistryEvent> before = stream(metadata);
                byte[] body = manifest(config, layer);
                metadata.armed = true;
                assertThatThrownBy(() -> service.putManifest(REPO, new Reference.ByTag(Tag.of("v1")),
                        MediaTypes.OCI_MANIFEST, body)).hasMessageContaining("injected failure");
                metadata.armed = false;
                assertThat(stream(metadata)).as("the stream after a manifest PUT that failed before its commit")
                        .isEqualTo(before);
                java.util.Optional<Digest> tagged = metadata.read(tx -> tx.tags().resolve(tx.repositories()
                        .get(RegistryId.DEFAULT, REPO).orElseThrow().id(), Tag.of("v1")));
                assertThat(tagged).as("the tag of the failed push").isEmpty();
                service.putManifest(REPO, new Reference.ByTag(Tag.of("v1")), MediaTypes.OCI_MANIFEST, body);
                List<RegistryEvent> after = stream(metadata);
                assertThat(after).hasSize(before.size() + 1);
                RegistryEvent pushed = after.get(after.size() - 1);
                assertThat(pushed.type()).isEqualTo(RegistryEvent.Type.IMAGE_PUSHED);
                assertThat(pushed.position()).as("the retry takes the next position: the failed one left no gap")
                        .isEqualTo(before.get(before.size() - 1).position() + 1);
            } finally {
                metadata.close();
            }
        }
    }

    @Test
    void aSubscriberThatCrashesBetweenReadAndAck_rereadsTheSameEventsAfterRestart() {
        MetadataStore first = open();
        for (int i = 0; i < 5; i++) {
            int n = i;
            first.write(tx -> tx.events().append(List.of(RegistryEvent.unsequenced(RegistryEvent.Type.IMAGE_PUSHED,
                    "000000000000", "us-east-1", "crash/app", null, List.of("v" + n), "anonymous", null, null,
                    java.time.Instant.now()))));
        }
        first.write(tx -> tx.events().subscribe("replication", true));
        List<RegistryEvent> handled = first.read(tx -> tx.events().read("replication", 3));
        first.write(tx -> {
            tx.events().ack("replication", handled.get(1).position()); // handled two of three, then the crash
            return null;
        });
        first.close();

        MetadataStore restarted = open();
        try {
            List<RegistryEvent> again = restarted.read(tx -> tx.events().read("replication", 10));
            assertThat(again).as("after acking position 2 of 5 and restarting").extracting(RegistryEvent::position)
                    .containsExactly(3L, 4L, 5L);
            assertThat(again.get(0)).as("the unacknowledged event, read again, is the same event")
                    .isEqualTo(handled.get(2));
            assertThat(stream(restarted)).as("the stream itself holds each event once").hasSize(5)
                    .extracting(e -> e.tags().get(0)).containsExactly("v0", "v1", "v2", "v3", "v4");
        } finally {
            restarted.close();
        }
    }
}
