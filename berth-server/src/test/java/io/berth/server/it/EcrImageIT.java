package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.*;

/** Image operations through the AWS SDK, and that both APIs see the same images. */
class EcrImageIT {
    @RegisterExtension
    static final TestServer SERVER = new TestServer();
    static EcrClient ecr;

    @BeforeAll
    static void client() { ecr = SERVER.ecr(); }

    private static String repo(String name) {
        ecr.createRepository(b -> b.repositoryName(name));
        return name;
    }

    @Test
    void pushedOverV2_describedByDescribeImages() throws Exception {
        String repo = repo("img/v2push");
        Ecr.Pushed p = Ecr.push(SERVER, repo, "v1", 10);
        SERVER.putManifest(repo, "stable", MediaTypes.OCI_MANIFEST, p.manifest());
        ImageDetail d = ecr.describeImages(b -> b.repositoryName(repo)).imageDetails().get(0);
        assertThat(d.imageDigest()).isEqualTo(p.digest().toString());
        assertThat(d.imageTags()).containsExactly("stable", "v1");
        assertThat(d.imageSizeInBytes()).isEqualTo(p.layerSize());
        assertThat(d.imagePushedAt()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
        assertThat(d.imageManifestMediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(d.artifactMediaType()).isEqualTo("application/vnd.oci.image.config.v1+json");
        assertThat(d.imageStatusAsString()).isEqualTo("ACTIVE");
        assertThat(d.registryId()).isEqualTo("000000000000");
    }

    @Test
    void putImage_pullsOverV2_andIsBatchGettable() throws Exception {
        String repo = repo("img/putimage");
        Ecr.Pushed p = Ecr.blobs(SERVER, repo, 11);
        Image image = ecr.putImage(b -> b.repositoryName(repo).imageManifest(p.manifest()).imageTag("v1")).image();
        assertThat(image.imageId().imageDigest()).isEqualTo(p.digest().toString());
        assertThat(image.imageManifestMediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        var pulled = SERVER.get("/v2/" + repo + "/manifests/v1", "Accept", MediaTypes.OCI_MANIFEST);
        assertThat(pulled.statusCode()).isEqualTo(200);
        assertThat(new String(pulled.body(), StandardCharsets.UTF_8)).isEqualTo(p.manifest());
        BatchGetImageResponse got = ecr.batchGetImage(b -> b.repositoryName(repo).imageIds(
                ImageIdentifier.builder().imageTag("v1").build(),
                ImageIdentifier.builder().imageDigest(p.digest().toString()).build(),
                ImageIdentifier.builder().imageTag("nope").build(),
                ImageIdentifier.builder().build(),
                ImageIdentifier.builder().imageDigest("bogus").build()));
        assertThat(got.images()).extracting(Image::imageManifest).containsOnly(p.manifest());
        assertThat(got.images()).hasSize(2);
        assertThat(got.failures()).extracting(ImageFailure::failureCode).containsExactly(
                ImageFailureCode.IMAGE_NOT_FOUND, ImageFailureCode.MISSING_DIGEST_AND_TAG,
                ImageFailureCode.INVALID_IMAGE_DIGEST);
        assertThat(ecr.batchGetImage(b -> b.repositoryName(repo).acceptedMediaTypes(MediaTypes.DOCKER_MANIFEST)
                .imageIds(ImageIdentifier.builder().imageTag("v1").build())).failures()).hasSize(1);
    }

    @Test
    void putImage_errors() throws Exception {
        String repo = repo("img/errors");
        Ecr.Pushed p = Ecr.blobs(SERVER, repo, 12);
        ecr.putImage(b -> b.repositoryName(repo).imageManifest(p.manifest()).imageTag("v1"));
        assertThatThrownBy(() -> ecr.putImage(b -> b.repositoryName(repo).imageManifest(p.manifest())
                .imageTag("v1"))).isInstanceOf(ImageAlreadyExistsException.class);
        assertThatThrownBy(() -> ecr.putImage(b -> b.repositoryName(repo).imageManifest(p.manifest())
                .imageDigest("sha256:" + "0".repeat(64)))).isInstanceOf(ImageDigestDoesNotMatchException.class);
        String missingLayer = Fixtures.ociManifest(p.config(), 10, Digest.sha256Of(new byte[] {1, 2, 3}), 3);
        assertThatThrownBy(() -> ecr.putImage(b -> b.repositoryName(repo).imageManifest(missingLayer)
                .imageTag("x"))).isInstanceOf(LayersNotFoundException.class);
        String index = Fixtures.index(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST,
                Digest.sha256Of(new byte[] {9}), 10);
        assertThatThrownBy(() -> ecr.putImage(b -> b.repositoryName(repo).imageManifest(index).imageTag("idx")))
                .isInstanceOf(ReferencedImagesNotFoundException.class);
        assertThatThrownBy(() -> ecr.putImage(b -> b.repositoryName("img/absent").imageManifest(p.manifest())))
                .isInstanceOf(RepositoryNotFoundException.class);
        assertThatThrownBy(() -> ecr.putImage(b -> b.repositoryName(repo).imageManifest("{not json")))
                .isInstanceOf(InvalidParameterException.class);
        // the same manifest under a second tag is a change
        ecr.putImage(b -> b.repositoryName(repo).imageManifest(p.manifest()).imageTag("v2"));
        assertThat(ecr.listImages(b -> b.repositoryName(repo)).imageIds()).extracting(ImageIdentifier::imageTag)
                .containsExactlyInAnyOrder("v1", "v2");
    }

    @Test
    void batchDeleteImage_lastTagDeletesImage_digestDeletesAllTags() throws Exception {
        String repo = repo("img/delete");
        Ecr.Pushed a = Ecr.push(SERVER, repo, "a1", 13);
        SERVER.putManifest(repo, "a2", MediaTypes.OCI_MANIFEST, a.manifest());
        Ecr.Pushed b = Ecr.push(SERVER, repo, "b1", 14);
        BatchDeleteImageResponse r = ecr.batchDeleteImage(x -> x.repositoryName(repo).imageIds(
                ImageIdentifier.builder().imageTag("a1").build(),
                ImageIdentifier.builder().imageDigest(b.digest().toString()).build(),
                ImageIdentifier.builder().imageTag("missing").build()));
        assertThat(r.imageIds()).containsExactlyInAnyOrder(
                ImageIdentifier.builder().imageDigest(a.digest().toString()).imageTag("a1").build(),
                ImageIdentifier.builder().imageDigest(b.digest().toString()).imageTag("b1").build());
        assertThat(r.failures()).extracting(ImageFailure::failureCode)
                .containsExactly(ImageFailureCode.IMAGE_NOT_FOUND);
        // a still has a2; removing its last tag removes the image
        assertThat(ecr.listImages(x -> x.repositoryName(repo)).imageIds()).extracting(ImageIdentifier::imageTag)
                .containsExactly("a2");
        ecr.batchDeleteImage(x -> x.repositoryName(repo).imageIds(ImageIdentifier.builder().imageTag("a2").build()));
        assertThat(ecr.listImages(x -> x.repositoryName(repo)).imageIds()).isEmpty();
        assertThat(SERVER.get("/v2/" + repo + "/manifests/" + a.digest()).statusCode()).isEqualTo(404);
    }

    @Test
    void batchDeleteImage_childOfIndex_protected() throws Exception {
        String repo = repo("img/index");
        Ecr.Pushed child = Ecr.push(SERVER, repo, "child", 15);
        String index = Fixtures.index(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, child.digest(),
                child.manifest().length());
        ecr.putImage(b -> b.repositoryName(repo).imageManifest(index).imageTag("multi"));
        BatchDeleteImageResponse r = ecr.batchDeleteImage(x -> x.repositoryName(repo).imageIds(
                ImageIdentifier.builder().imageDigest(child.digest().toString()).build()));
        assertThat(r.failures()).extracting(ImageFailure::failureCode)
                .containsExactly(ImageFailureCode.IMAGE_REFERENCED_BY_MANIFEST_LIST);
        ImageDetail idx = ecr.describeImages(b -> b.repositoryName(repo).imageIds(
                ImageIdentifier.builder().imageTag("multi").build())).imageDetails().get(0);
        assertThat(idx.imageSizeInBytes()).isEqualTo(child.layerSize()); // max of the listed manifests
        assertThat(idx.artifactMediaType()).isNull();
    }

    @Test
    void listImages_tagStatusFilter_andPagination() throws Exception {
        String repo = repo("img/list");
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Ecr.Pushed p = Ecr.push(SERVER, repo, "t" + i, 20 + i);
            all.add(p.digest().toString());
        }
        Ecr.Pushed untagged = Ecr.blobs(SERVER, repo, 30);
        SERVER.putManifest(repo, untagged.digest().toString(), MediaTypes.OCI_MANIFEST, untagged.manifest());
        assertThat(ecr.listImages(b -> b.repositoryName(repo).filter(f -> f.tagStatus(TagStatus.UNTAGGED)))
                .imageIds()).extracting(ImageIdentifier::imageDigest).containsExactly(untagged.digest().toString());
        assertThat(ecr.listImages(b -> b.repositoryName(repo).filter(f -> f.tagStatus(TagStatus.TAGGED)))
                .imageIds()).hasSize(5);
        List<String> paged = ecr.listImagesPaginator(b -> b.repositoryName(repo).maxResults(2)).imageIds().stream()
                .map(ImageIdentifier::imageDigest).toList();
        assertThat(paged).hasSize(6).doesNotHaveDuplicates().containsAll(all);
        List<String> described = ecr.describeImagesPaginator(b -> b.repositoryName(repo).maxResults(4)
                .filter(f -> f.tagStatus(TagStatus.TAGGED))).imageDetails().stream()
                .map(ImageDetail::imageDigest).toList();
        assertThat(described).containsExactlyInAnyOrderElementsOf(all);
        assertThatThrownBy(() -> ecr.listImages(b -> b.repositoryName(repo).maxResults(0)))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void describeImages_unknownId_imageNotFound_unknownRepo_repositoryNotFound() {
        String repo = repo("img/unknown");
        assertThatThrownBy(() -> ecr.describeImages(b -> b.repositoryName(repo).imageIds(
                ImageIdentifier.builder().imageTag("nope").build()))).isInstanceOf(ImageNotFoundException.class)
                .hasMessageContaining("does not exist within the repository with name 'img/unknown'");
        assertThatThrownBy(() -> ecr.describeImages(b -> b.repositoryName("img/nope")))
                .isInstanceOf(RepositoryNotFoundException.class);
    }

    @Test
    void lastRecordedPullTime_recordedAfterPull() throws Exception {
        String repo = repo("img/pulls");
        Ecr.push(SERVER, repo, "v1", 40);
        assertThat(ecr.describeImages(b -> b.repositoryName(repo)).imageDetails().get(0).lastRecordedPullTime())
                .isNull();
        assertThat(SERVER.get("/v2/" + repo + "/manifests/v1", "Accept", MediaTypes.OCI_MANIFEST).statusCode())
                .isEqualTo(200);
        Instant pulled = null;
        for (int i = 0; i < 50 && pulled == null; i++) { // recorded asynchronously
            Thread.sleep(100);
            pulled = ecr.describeImages(b -> b.repositoryName(repo)).imageDetails().get(0).lastRecordedPullTime();
        }
        assertThat(pulled).isBetween(Instant.now().minusSeconds(60), Instant.now());
    }

    @Test
    void listImageReferrers_artifactWithSubject() throws Exception {
        String repo = repo("img/referrers");
        Ecr.Pushed subject = Ecr.push(SERVER, repo, "v1", 50);
        SERVER.pushBlob(repo, Fixtures.EMPTY_JSON);
        Digest sbom = SERVER.pushBlob(repo, "sbom".getBytes(StandardCharsets.UTF_8));
        String artifact = Fixtures.artifact("application/spdx+json", sbom, 4, subject.digest(),
                subject.manifest().length());
        ecr.putImage(b -> b.repositoryName(repo).imageManifest(artifact));
        ListImageReferrersResponse r = ecr.listImageReferrers(b -> b.repositoryName(repo)
                .subjectId(s -> s.imageDigest(subject.digest().toString())));
        assertThat(r.referrers()).hasSize(1);
        assertThat(r.referrers().get(0).artifactType()).isEqualTo("application/spdx+json");
        assertThat(r.referrers().get(0).digest()).isEqualTo(Digest.sha256Of(
                artifact.getBytes(StandardCharsets.UTF_8)).toString());
        assertThat(ecr.listImageReferrers(b -> b.repositoryName(repo)
                .subjectId(s -> s.imageDigest(subject.digest().toString()))
                .filter(f -> f.artifactTypes("application/other"))).referrers()).isEmpty();
        ImageDetail d = ecr.describeImages(b -> b.repositoryName(repo).imageIds(ImageIdentifier.builder()
                .imageDigest(r.referrers().get(0).digest()).build())).imageDetails().get(0);
        assertThat(d.subjectManifestDigest()).isEqualTo(subject.digest().toString());
    }
}
