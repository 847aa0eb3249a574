package io.berth.metadata.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.blob.fs.FileSystemBlobStore;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.gc.GarbageCollector;
import io.berth.core.gc.GcProgress;
import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.core.model.Reference;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.ImageArchive;
import io.berth.core.service.ImageCatalog;
import io.berth.core.service.RegistryService;
import io.berth.core.service.RegistryServices;
import io.berth.core.service.ServiceOptions;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.meta.EventStore;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.RegistryEvent;
import io.berth.core.service.ImageStorageView;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive storage class in the core services over a real database and the filesystem blob store: archive hides
 * an image from pulls and moves its unshared blobs to the archive tier, a restore is ACTIVATING (visible, still not
 * pullable, with its job enqueued) until the job's work makes it ACTIVE, a re-push restores at once, GC keeps
 * archived blobs. One subclass per database.
 */
abstract class AbstractImageArchiveTest {
    static final RegistryId ID = RegistryId.DEFAULT;
    static final RepositoryName REPO = RepositoryName.of("team/app");
    static final String ACTOR = "arn:aws:iam::000000000000:user/dev";

    @TempDir
    Path dir;
    BlobStore blobs;
    MetadataStore metadata;
    AbstractRegistryServiceTest.MutableClock clock;
    RegistryServices services;
    RegistryService data;

    protected abstract MetadataStore newMetadataStore(Path dir);

    @BeforeEach
    void setUp() throws IOException {
        blobs = new FileSystemBlobStore(dir.resolve("blobs"), dir.resolve("cold"));
        metadata = newMetadataStore(dir);
        clock = new AbstractRegistryServiceTest.MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        services = new RegistryServices(blobs, metadata, clock, ServiceOptions.singleNode());
        data = services.forRegistry(ID);
    }

    @AfterEach
    void tearDown() throws IOException {
        metadata.close();
        blobs.close();
    }

    record Image(Digest digest, Digest config, Digest layer, byte[] manifest) {}

    private Image push(RepositoryName repo, String tag, String layerText) {
        byte[] config = ("{\"tag\":\"" + tag + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] layer = layerText.getBytes(StandardCharsets.UTF_8);
        Digest c = upload(repo, config);
        Digest l = upload(repo, layer);
        byte[] manifest = AbstractRegistryServiceTest.imageManifest(c, config.length, l, layer.length, null);
        data.putManifest(repo, Reference.parse(tag), MediaTypes.OCI_MANIFEST, manifest);
        return new Image(Digest.sha256Of(manifest), c, l, manifest);
    }

    private Digest upload(RepositoryName repo, byte[] content) {
        Digest d = Digest.sha256Of(content);
        data.uploadMonolithic(repo, d, new ByteArrayInputStream(content), content.length);
        return d;
    }

    private ImageArchive archive() {
        return services.archive(ID, ACTOR);
    }

    private List<Digest> listed(ImageCatalog.StatusFilter status) {
        return services.images(ID, ACTOR).list(REPO, null, 100, ImageCatalog.TagStatus.ANY, status).items().stream()
                .map(i -> i.manifest().digest()).toList();
    }

    private List<RegistryEvent.Type> storageEvents() {
        return metadata.read(tx -> tx.events().list(new EventStore.Filter(null, null, 0, 1000))).stream()
                .map(RegistryEvent::type).filter(t -> t.name().startsWith("IMAGE_A")).toList();
    }

    @Test
    void archive_hidesThePullAndMovesUnsharedBlobs() throws IOException {
        Image old = push(REPO, "old", "layer of old");
        Image other = push(REPO, "other", "layer of other");
        // a third image shares old's layer, so that layer must stay in the standard tier
        Image sharing = push(RepositoryName.of("team/web"), "v1", "layer of old");
        assertThat(sharing.layer()).isEqualTo(old.layer());

        ImageStorageView s = archive().archive(REPO, old.digest());
        assertThat(s.status()).isEqualTo(ImageStorageView.Status.ARCHIVED);
        assertThat(s.lastArchivedAt()).isEqualTo(clock.instant());

        for (Reference ref : List.of(Reference.parse("old"), new Reference.ByDigest(old.digest()))) {
            assertThatThrownBy(() -> data.getManifest(REPO, ref)).as("pull of %s", ref)
                    .isInstanceOfSatisfying(RegistryException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_UNKNOWN))
                    .hasMessageContaining("archived");
        }
        assertThat(data.getManifest(REPO, Reference.parse("other")).digest()).isEqualTo(other.digest());
        assertThat(listed(ImageCatalog.StatusFilter.ACTIVE)).containsExactlyInAnyOrder(other.digest());
        assertThat(listed(ImageCatalog.StatusFilter.ARCHIVED)).containsExactly(old.digest());
        assertThat(listed(ImageCatalog.StatusFilter.ANY)).hasSize(2);
        assertThat(services.images(ID, ACTOR).find(REPO, old.digest()).orElseThrow().storage()).isEqualTo(s);

        // the config is old's alone: archived, and gone from /v2 reads; the shared layer stays put
        assertThat(blobs.stat(old.config())).isEmpty();
        assertThat(blobs.statArchived(old.config())).isPresent();
        assertThatThrownBy(() -> data.statBlob(REPO, old.config())).isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.BLOB_UNKNOWN));
        assertThat(services.images(ID, ACTOR).archivedLayerSize(REPO, old.config())).isPresent();
        assertThat(blobs.stat(old.layer())).isPresent();
        assertThat(services.images(ID, ACTOR).archivedLayerSize(REPO, old.layer())).isEmpty();
        assertThat(data.statBlob(REPO, old.layer()).digest()).isEqualTo(old.layer());

        // archiving again changes nothing
        clock.advance(Duration.ofMinutes(1));
        assertThat(archive().archive(REPO, old.digest())).isEqualTo(s);
        assertThat(storageEvents()).containsExactly(RegistryEvent.Type.IMAGE_ARCHIVED);
    }

    @Test
    void restore_isActivatingUntilTheJobsWorkThenActive() throws IOException {
        Image old = push(REPO, "old", "layer of old");
        archive().archive(REPO, old.digest());
        clock.advance(Duration.ofDays(3));

        ImageStorageView activating = archive().restore(REPO, old.digest());
        assertThat(activating.status()).isEqualTo(ImageStorageView.Status.ACTIVATING);
        assertThat(listed(ImageCatalog.StatusFilter.ACTIVATING)).containsExactly(old.digest());
        assertThat(listed(ImageCatalog.StatusFilter.ACTIVE)).isEmpty();
        assertThatThrownBy(() -> data.getManifest(REPO, Reference.parse("old"))).hasMessageContaining("ACTIVATING");
        String key = ImageArchive.RESTORE_JOB + ":" + ImageArchive.jobTarget(ID, REPO, old.digest());
        assertThat(metadata.<Boolean>read(tx -> tx.jobs().hasUnfinished(key))).as("restore job %s", key).isTrue();
        assertThat(archive().restore(REPO, old.digest()).status()).as("a second restore").isEqualTo(
                ImageStorageView.Status.ACTIVATING);
        assertThatThrownBy(() -> archive().archive(REPO, old.digest()))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.IMAGE_STORAGE_CLASS_UPDATE_NOT_SUPPORTED));

        List<String> progress = new ArrayList<>();
        ImageStorageView active = archive().completeRestore(REPO, old.digest(),
                (done, total) -> progress.add(done + "/" + total));
        assertThat(progress).containsExactly("1/2", "2/2");
        assertThat(active.status()).isEqualTo(ImageStorageView.Status.ACTIVE);
        assertThat(active.lastActivatedAt()).isEqualTo(clock.instant());
        assertThat(active.lastArchivedAt()).isEqualTo(clock.instant().minus(Duration.ofDays(3)));
        assertThat(data.getManifest(REPO, Reference.parse("old")).digest()).isEqualTo(old.digest());
        assertThat(blobs.stat(old.layer())).isPresent();
        assertThat(blobs.statArchived(old.layer())).isEmpty();
        assertThat(data.statBlob(REPO, old.config()).digest()).isEqualTo(old.config());
        // the job may run again (a retry after a crash): nothing changes
        assertThat(archive().completeRestore(REPO, old.digest(), (d, t) -> { })).isEqualTo(active);
        assertThat(storageEvents()).containsExactly(RegistryEvent.Type.IMAGE_ARCHIVED,
                RegistryEvent.Type.IMAGE_ACTIVATING, RegistryEvent.Type.IMAGE_ACTIVATED);
    }

    @Test
    void rePush_restoresAtOnce() throws IOException {
        Image old = push(REPO, "old", "layer of old");
        archive().archive(REPO, old.digest());
        clock.advance(Duration.ofHours(1));
        RegistryService.PushedManifest again = data.putManifest(REPO, Reference.parse("old"), MediaTypes.OCI_MANIFEST,
                old.manifest());
        assertThat(again.changed()).as("a re-push of an archived image is a change").isTrue();
        ImageStorageView s = archive().status(REPO, old.digest());
        assertThat(s.status()).isEqualTo(ImageStorageView.Status.ACTIVE);
        assertThat(s.lastActivatedAt()).isEqualTo(clock.instant());
        assertThat(blobs.stat(old.layer())).isPresent();
        assertThat(blobs.statArchived(old.layer())).isEmpty();
        assertThat(data.getManifest(REPO, Reference.parse("old")).digest()).isEqualTo(old.digest());
    }

    @Test
    void newImageNeedingAnArchivedBlob_bringsItBack() throws IOException {
        Image old = push(REPO, "old", "shared later");
        archive().archive(REPO, old.digest());
        assertThat(blobs.statArchived(old.layer())).isPresent();
        // the same layer in a new image of another repository: mounted (metadata only), then referenced
        assertThat(data.mount(RepositoryName.of("team/web"), old.layer(), java.util.Optional.of(REPO))).isPresent();
        byte[] config = "{\"new\":1}".getBytes(StandardCharsets.UTF_8);
        Digest c = upload(RepositoryName.of("team/web"), config);
        byte[] manifest = AbstractRegistryServiceTest.imageManifest(c, config.length, old.layer(),
                "shared later".length(), null);
        data.putManifest(RepositoryName.of("team/web"), Reference.parse("v1"), MediaTypes.OCI_MANIFEST, manifest);
        assertThat(blobs.stat(old.layer())).as("the layer the new image needs").isPresent();
        assertThat(blobs.statArchived(old.layer())).isEmpty();
        assertThat(archive().status(REPO, old.digest()).status()).as("the old image").isEqualTo(ImageStorageView.Status.ARCHIVED);
    }

    @Test
    void archive_childOfAnActiveIndex_isNotSupported() {
        Image child = push(REPO, "child", "layer of child");
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{"
                + "\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + child.digest() + "\",\"size\":"
                + child.manifest().length + "}]}";
        data.putManifest(REPO, Reference.parse("list"), MediaTypes.OCI_INDEX, index.getBytes(StandardCharsets.UTF_8));
        Digest list = Digest.sha256Of(index.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> archive().archive(REPO, child.digest()))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.IMAGE_STORAGE_CLASS_UPDATE_NOT_SUPPORTED))
                .hasMessageContaining(list.toString());
        archive().archive(REPO, list);
        assertThat(archive().archive(REPO, child.digest()).status())
                .isEqualTo(ImageStorageView.Status.ARCHIVED);
    }

    @Test
    void unknownImageOrRepository_refused() {
        assertThatThrownBy(() -> archive().archive(REPO, Digest.sha256Of(new byte[1])))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.NAME_UNKNOWN));
        push(REPO, "one", "x");
        assertThatThrownBy(() -> archive().restore(REPO, Digest.sha256Of(new byte[1])))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.MANIFEST_UNKNOWN));
    }

    @Test
    void gc_keepsArchivedBlobsUntilTheImageIsDeleted() throws IOException {
        Image old = push(REPO, "old", "layer of old");
        archive().archive(REPO, old.digest());
        GarbageCollector gc = new GarbageCollector(blobs, metadata, Duration.ZERO, clock);
        clock.advance(Duration.ofDays(2));
        gc.run(false, GcProgress.NONE);
        assertThat(blobs.statArchived(old.layer())).as("an archived image's layer after GC").isPresent();

        services.images(ID, ACTOR).deleteImage(REPO, old.digest());
        clock.advance(Duration.ofDays(2));
        gc.run(false, GcProgress.NONE);
        assertThat(blobs.statArchived(old.layer())).as("after the image was deleted").isEmpty();
        assertThat(blobs.stat(old.layer())).isEmpty();
    }

    @Test
    void archiveRacingAPushThatSharesItsLayer_neverStrandsTheNewImage() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 20; i++) {
                RepositoryName repo = RepositoryName.of("race/r" + i);
                String layerText = "shared " + i;
                Image old = push(repo, "old", layerText);
                byte[] config = ("{\"new\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                Digest c = upload(repo, config);
                byte[] manifest = AbstractRegistryServiceTest.imageManifest(c, config.length, old.layer(),
                        layerText.length(), null);
                CountDownLatch go = new CountDownLatch(1);
                Future<?> archiving = pool.submit(() -> {
                    go.await();
                    return archive().archive(repo, old.digest());
                });
                Future<?> pushing = pool.submit(() -> {
                    go.await();
                    return data.putManifest(repo, Reference.parse("new"), MediaTypes.OCI_MANIFEST, manifest);
                });
                go.countDown();
                archiving.get(30, TimeUnit.SECONDS);
                pushing.get(30, TimeUnit.SECONDS);
                assertThat(blobs.stat(old.layer())).as("round %d: the layer the new image needs", i).isPresent();
                assertThat(data.statBlob(repo, old.layer()).digest()).isEqualTo(old.layer());
                assertThat(blobs.stat(old.config())).as("round %d: the archived image's own config", i).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void mayExpire_afterNinetyDaysInTheArchive() {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        ImageStorageView archived = new ImageStorageView(ImageStorageView.Status.ARCHIVED,
                ImageStorageView.StorageClass.ARCHIVE, at, null);
        assertThat(ImageArchive.mayExpire(archived, at.plus(Duration.ofDays(90)).minusMillis(1))).isFalse();
        assertThat(ImageArchive.mayExpire(archived, at.plus(Duration.ofDays(90)))).isTrue();
        assertThat(ImageArchive.mayExpire(new ImageStorageView(ImageStorageView.Status.ACTIVATING,
                ImageStorageView.StorageClass.ARCHIVE, at, null), at.plus(Duration.ofDays(100)))).isFalse();
    }
}
