package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.core.service.ImageArchive;
import io.berth.core.spi.meta.JobRecord;
import io.berth.core.spi.meta.JobState;
import io.berth.core.spi.meta.JobStore;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageStatus;
import software.amazon.awssdk.services.ecr.model.ImageStatusFilter;
import software.amazon.awssdk.services.ecr.model.Layer;
import software.amazon.awssdk.services.ecr.model.LayerAvailability;
import software.amazon.awssdk.services.ecr.model.UpdateImageStorageClassResponse;

/**
 * The archive storage class through the real server and the SDK's EcrClient: UpdateImageStorageClass archives
 * (DescribeImages and ListImages show it under their imageStatus filters, /v2 and BatchGetImage refuse the pull,
 * BatchCheckLayerAvailability says ARCHIVED), restores through ACTIVATING to ACTIVE by the image-restore job, and a
 * re-push restores at once; bad input gets ECR's exceptions.
 */
class ArchiveIT {
    @RegisterExtension
    static final TestServer SERVER = new TestServer();
    static EcrClient ecr;

    @BeforeAll
    static void client() { ecr = SERVER.ecr(); }

    private static String repo(String name) {
        ecr.createRepository(b -> b.repositoryName(name));
        return name;
    }

    private static UpdateImageStorageClassResponse update(String repo, String tag, String target) {
        return ecr.updateImageStorageClass(b -> b.repositoryName(repo)
                .imageId(ImageIdentifier.builder().imageTag(tag).build()).targetStorageClass(target));
    }

    private static List<String> described(String repo, ImageStatusFilter filter) {
        return ecr.describeImages(b -> b.repositoryName(repo).filter(f -> {
            if (filter != null) {
                f.imageStatus(filter);
            }
        })).imageDetails().stream().map(ImageDetail::imageDigest).toList();
    }

    private static List<String> listed(String repo, ImageStatusFilter filter) {
        return ecr.listImages(b -> b.repositoryName(repo).filter(f -> {
            if (filter != null) {
                f.imageStatus(filter);
            }
        })).imageIds().stream().map(ImageIdentifier::imageDigest).toList();
    }

    private static ImageDetail detail(String repo, Digest digest) {
        return ecr.describeImages(b -> b.repositoryName(repo).imageIds(ImageIdentifier.builder()
                .imageDigest(digest.toString()).build())).imageDetails().get(0);
    }

    private static HttpResponse<byte[]> pull(String repo, String ref) throws IOException, InterruptedException {
        return SERVER.get("/v2/" + repo + "/manifests/" + ref, "Accept", MediaTypes.OCI_MANIFEST);
    }

    @Test
    void archive_describedAndListedButNotPullable() throws Exception {
        String repo = repo("arch/basic");
        Ecr.Pushed old = Ecr.push(SERVER, repo, "old", 101);
        Ecr.Pushed keep = Ecr.push(SERVER, repo, "keep", 102);
        Instant before = Instant.now().minusSeconds(1);

        UpdateImageStorageClassResponse r = update(repo, "old", "ARCHIVE");
        assertThat(r.imageStatus()).isEqualTo(ImageStatus.ARCHIVED);
        assertThat(r.imageId().imageDigest()).isEqualTo(old.digest().toString());
        assertThat(r.imageId().imageTag()).isEqualTo("old");
        assertThat(r.repositoryName()).isEqualTo(repo);
        assertThat(r.registryId()).isEqualTo(TestServer.ACCOUNT);

        String o = old.digest().toString();
        String k = keep.digest().toString();
        assertThat(described(repo, null)).as("DescribeImages without a filter: ACTIVE only").containsExactly(k);
        assertThat(described(repo, ImageStatusFilter.ARCHIVED)).containsExactly(o);
        assertThat(described(repo, ImageStatusFilter.ANY)).containsExactlyInAnyOrder(o, k);
        assertThat(described(repo, ImageStatusFilter.ACTIVATING)).isEmpty();
        assertThat(listed(repo, null)).as("ListImages without a filter").containsExactly(k);
        assertThat(listed(repo, ImageStatusFilter.ARCHIVED)).containsExactly(o);
        ImageDetail d = detail(repo, old.digest());
        assertThat(d.imageStatus()).isEqualTo(ImageStatus.ARCHIVED);
        assertThat(d.lastArchivedAt()).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(d.lastActivatedAt()).isNull();
        assertThat(d.imageTags()).containsExactly("old");
        assertThat(detail(repo, keep.digest()).imageStatus()).isEqualTo(ImageStatus.ACTIVE);

        for (String ref : List.of("old", o)) {
            HttpResponse<byte[]> p = pull(repo, ref);
            assertThat(p.statusCode()).as("pull of %s", ref).isEqualTo(404);
            assertThat(TestServer.text(p)).contains("MANIFEST_UNKNOWN").contains("archived");
        }
        assertThat(pull(repo, "keep").statusCode()).isEqualTo(200);
        var got = ecr.batchGetImage(b -> b.repositoryName(repo).imageIds(ImageIdentifier.builder().imageTag("old")
                .build(), ImageIdentifier.builder().imageTag("keep").build()));
        assertThat(got.images()).hasSize(1);
        assertThat(got.failures()).singleElement().satisfies(f -> {
            assertThat(f.failureCodeAsString()).isEqualTo("ImageNotFound");
            assertThat(f.failureReason()).contains("archived");
            assertThat(f.imageId().imageTag()).isEqualTo("old");
        });

        List<Layer> layers = ecr.batchCheckLayerAvailability(b -> b.repositoryName(repo).layerDigests(
                old.layer().toString(), keep.layer().toString())).layers();
        assertThat(layers).extracting(Layer::layerAvailability).containsExactly(LayerAvailability.ARCHIVED,
                LayerAvailability.AVAILABLE);
        assertThat(layers.get(0).layerSize()).isEqualTo(old.layerSize());
        assertThat(SERVER.get("/v2/" + repo + "/blobs/" + old.layer()).statusCode()).as("GET of an archived blob")
                .isEqualTo(404);
        assertThat(SERVER.head("/v2/" + repo + "/blobs/" + old.layer()).statusCode()).isEqualTo(404);
        assertThat(SERVER.app().stores().blobs().statArchived(old.layer())).as("in the archive tier").isPresent();

        assertThat(update(repo, "old", "ARCHIVE").imageStatus()).as("archiving again").isEqualTo(ImageStatus.ARCHIVED);
    }

    @Test
    void restore_activatingThenActive_byTheRestoreJob() throws Exception {
        String repo = repo("arch/restore");
        Ecr.Pushed old = Ecr.push(SERVER, repo, "old", 103);
        update(repo, "old", "ARCHIVE");
        Instant restoredAfter = Instant.now().minusSeconds(1);

        assertThat(update(repo, "old", "STANDARD").imageStatus()).isEqualTo(ImageStatus.ACTIVATING);
        String target = ImageArchive.jobTarget(new io.berth.core.model.RegistryId(TestServer.ACCOUNT),
                io.berth.core.model.RepositoryName.of(repo), old.digest());
        await(() -> detail(repo, old.digest()).imageStatus() == ImageStatus.ACTIVE, "the restore");
        ImageDetail d = detail(repo, old.digest());
        assertThat(d.lastActivatedAt()).isBetween(restoredAfter, Instant.now().plusSeconds(1));
        assertThat(d.lastArchivedAt()).isBefore(d.lastActivatedAt());
        assertThat(described(repo, null)).containsExactly(old.digest().toString());

        List<JobRecord> jobs = SERVER.app().stores().metadata().read(tx -> tx.jobs().list(new JobStore.Query(
                JobState.SUCCEEDED, ImageArchive.RESTORE_JOB, 100)));
        assertThat(jobs).filteredOn(j -> j.target().equals(target)).singleElement().satisfies(j -> {
            assertThat(j.progress()).isEqualTo("image ACTIVE");
            assertThat(j.progressPercent()).isEqualTo(100);
        });
        assertThat(pull(repo, "old").statusCode()).isEqualTo(200);
        assertThat(SERVER.get("/v2/" + repo + "/blobs/" + old.layer()).statusCode()).isEqualTo(200);
        assertThat(ecr.batchCheckLayerAvailability(b -> b.repositoryName(repo).layerDigests(old.layer().toString()))
                .layers().get(0).layerAvailability()).isEqualTo(LayerAvailability.AVAILABLE);
        assertThat(update(repo, "old", "STANDARD").imageStatus()).as("restoring an active image")
                .isEqualTo(ImageStatus.ACTIVE);
        assertThat(SERVER.admin("jobs", "--kind", ImageArchive.RESTORE_JOB)).contains(target);
    }

    @Test
    void rePush_restoresAtOnce() throws Exception {
        String repo = repo("arch/repush");
        Ecr.Pushed old = Ecr.push(SERVER, repo, "old", 104);
        update(repo, "old", "ARCHIVE");
        assertThat(SERVER.putManifest(repo, "old", MediaTypes.OCI_MANIFEST, old.manifest()).statusCode())
                .isEqualTo(201);
        ImageDetail d = detail(repo, old.digest());
        assertThat(d.imageStatus()).isEqualTo(ImageStatus.ACTIVE);
        assertThat(d.lastActivatedAt()).isNotNull();
        assertThat(new String(pull(repo, "old").body(), StandardCharsets.UTF_8)).isEqualTo(old.manifest());
        assertThat(SERVER.get("/v2/" + repo + "/blobs/" + old.layer()).statusCode()).isEqualTo(200);
    }

    @Test
    void batchDeleteImage_deletesAnArchivedImage() throws Exception {
        String repo = repo("arch/delete");
        Ecr.Pushed old = Ecr.push(SERVER, repo, "old", 106);
        update(repo, "old", "ARCHIVE");
        var deleted = ecr.batchDeleteImage(b -> b.repositoryName(repo).imageIds(ImageIdentifier.builder()
                .imageDigest(old.digest().toString()).build()));
        assertThat(deleted.failures()).as("ECR's 90-day minimum binds lifecycle only").isEmpty();
        assertThat(deleted.imageIds()).extracting(ImageIdentifier::imageDigest).containsExactly(
                old.digest().toString());
        assertThat(described(repo, ImageStatusFilter.ANY)).isEmpty();
        assertThat(Ecr.errorOf(() -> update(repo, "old", "STANDARD"))).startsWith("ImageNotFoundException:");
    }

    @Test
    void badInput_getsEcrsExceptions() throws Exception {
        String repo = repo("arch/bad");
        Ecr.Pushed child = Ecr.push(SERVER, repo, "child", 105);
        assertThat(Ecr.errorOf(() -> update(repo, "child", "GLACIER"))).startsWith("InvalidParameterException: "
                + "Invalid parameter at 'targetStorageClass' failed to satisfy constraint: 'Member must satisfy enum "
                + "value set: [STANDARD, ARCHIVE]'");
        assertThat(Ecr.errorOf(() -> ecr.updateImageStorageClass(b -> b.repositoryName(repo)
                .imageId(ImageIdentifier.builder().imageTag("child").build())))).startsWith(
                "InvalidParameterException: Invalid parameter at 'targetStorageClass'");
        assertThat(Ecr.errorOf(() -> ecr.updateImageStorageClass(b -> b.repositoryName(repo)
                .targetStorageClass("ARCHIVE")))).startsWith("InvalidParameterException: Invalid parameter at "
                + "'imageId'");
        assertThat(Ecr.errorOf(() -> update(repo, "nope", "ARCHIVE"))).startsWith("ImageNotFoundException: The "
                + "image with imageId {imageDigest:'null', imageTag:'nope'} does not exist");
        assertThat(Ecr.errorOf(() -> ecr.updateImageStorageClass(b -> b.repositoryName(repo).targetStorageClass(
                "ARCHIVE").imageId(ImageIdentifier.builder().imageDigest("sha256:bogus").build()))))
                .startsWith("InvalidParameterException:");
        assertThat(Ecr.errorOf(() -> update("arch/missing", "v1", "ARCHIVE"))).startsWith(
                "RepositoryNotFoundException:");
        assertThat(Ecr.errorOf(() -> ecr.describeImages(b -> b.repositoryName(repo).filter(f -> f.imageStatus(
                "SLEEPING"))))).startsWith("InvalidParameterException: Invalid parameter at 'filter.imageStatus'");
        assertThat(Ecr.errorOf(() -> ecr.listImages(b -> b.repositoryName(repo).filter(f -> f.imageStatus(
                "SLEEPING"))))).startsWith("InvalidParameterException: Invalid parameter at 'filter.imageStatus'");

        String index = Fixtures.index(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, child.digest(),
                child.manifest().getBytes(StandardCharsets.UTF_8).length);
        assertThat(SERVER.putManifest(repo, "list", MediaTypes.OCI_INDEX, index).statusCode()).isEqualTo(201);
        assertThat(Ecr.errorOf(() -> update(repo, "child", "ARCHIVE"))).startsWith(
                "ImageStorageClassUpdateNotSupportedException: The image is referenced by manifest list");
        assertThat(update(repo, "list", "ARCHIVE").imageStatus()).isEqualTo(ImageStatus.ARCHIVED);
        assertThat(update(repo, "child", "ARCHIVE").imageStatus()).isEqualTo(ImageStatus.ARCHIVED);
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 15 s for %s", what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
