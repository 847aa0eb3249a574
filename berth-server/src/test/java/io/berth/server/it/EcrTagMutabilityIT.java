package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.model.MediaTypes;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.*;

/** Tag immutability, enforced identically by PutImage and by /v2/ manifest pushes. */
class EcrTagMutabilityIT {
    @RegisterExtension
    static final TestServer SERVER = new TestServer();
    static EcrClient ecr;

    @BeforeAll
    static void client() { ecr = SERVER.ecr(); }

    static final String MESSAGE = "The image tag 'v1' already exists in the '%s' repository and cannot be "
            + "overwritten because the repository is immutable.";

    @Test
    void immutable_bothApisRefuseMovingATag_sameDigestAllowed() throws Exception {
        String repo = "mut/immutable";
        ecr.createRepository(b -> b.repositoryName(repo).imageTagMutability(ImageTagMutability.IMMUTABLE));
        Ecr.Pushed first = Ecr.push(SERVER, repo, "v1", 1);
        Ecr.Pushed second = Ecr.blobs(SERVER, repo, 2);
        assertThatThrownBy(() -> ecr.putImage(b -> b.repositoryName(repo).imageManifest(second.manifest())
                .imageTag("v1"))).isInstanceOf(ImageTagAlreadyExistsException.class)
                .hasMessageContaining(String.format(MESSAGE, repo));
        HttpResponse<byte[]> push = SERVER.putManifest(repo, "v1", MediaTypes.OCI_MANIFEST, second.manifest());
        assertThat(push.statusCode()).isEqualTo(400);
        assertThat(TestServer.text(push)).contains("TAG_INVALID").contains(String.format(MESSAGE, repo));
        // no partial state: the refused manifest was not stored either
        assertThat(SERVER.head("/v2/" + repo + "/manifests/" + second.digest()).statusCode()).isEqualTo(404);
        // re-pushing the digest the tag already names is fine
        assertThat(SERVER.putManifest(repo, "v1", MediaTypes.OCI_MANIFEST, first.manifest()).statusCode())
                .isEqualTo(201);
        // new tags are fine
        ecr.putImage(b -> b.repositoryName(repo).imageManifest(second.manifest()).imageTag("v2"));
        // back to MUTABLE: the tag moves
        ecr.putImageTagMutability(b -> b.repositoryName(repo).imageTagMutability(ImageTagMutability.MUTABLE));
        assertThat(SERVER.putManifest(repo, "v1", MediaTypes.OCI_MANIFEST, second.manifest()).statusCode())
                .isEqualTo(201);
    }

    @Test
    void exclusionModes_filtersInvertTheRule() throws Exception {
        String repo = "mut/exclusions";
        ecr.createRepository(b -> b.repositoryName(repo));
        PutImageTagMutabilityResponse r = ecr.putImageTagMutability(b -> b.repositoryName(repo)
                .imageTagMutability(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION)
                .imageTagMutabilityExclusionFilters(f -> f.filterType("WILDCARD").filter("latest"),
                        f -> f.filterType("WILDCARD").filter("dev-*")));
        assertThat(r.imageTagMutability()).isEqualTo(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION);
        assertThat(r.imageTagMutabilityExclusionFilters()).hasSize(2);
        Ecr.Pushed a = Ecr.push(SERVER, repo, "latest", 3);
        Ecr.push(SERVER, repo, "dev-1", 3);
        Ecr.push(SERVER, repo, "v1", 3);
        Ecr.Pushed b = Ecr.blobs(SERVER, repo, 4);
        assertThat(SERVER.putManifest(repo, "latest", MediaTypes.OCI_MANIFEST, b.manifest()).statusCode())
                .isEqualTo(201);
        assertThat(SERVER.putManifest(repo, "dev-1", MediaTypes.OCI_MANIFEST, b.manifest()).statusCode())
                .isEqualTo(201);
        assertThat(SERVER.putManifest(repo, "v1", MediaTypes.OCI_MANIFEST, b.manifest()).statusCode())
                .isEqualTo(400);
        ecr.putImageTagMutability(x -> x.repositoryName(repo)
                .imageTagMutability(ImageTagMutability.MUTABLE_WITH_EXCLUSION)
                .imageTagMutabilityExclusionFilters(f -> f.filterType("WILDCARD").filter("release-*")));
        Ecr.push(SERVER, repo, "release-1", 5);
        assertThat(SERVER.putManifest(repo, "release-1", MediaTypes.OCI_MANIFEST, a.manifest()).statusCode())
                .isEqualTo(400);
        assertThat(SERVER.putManifest(repo, "v1", MediaTypes.OCI_MANIFEST, a.manifest()).statusCode())
                .isEqualTo(201);
        assertThat(ecr.describeRepositories(x -> x.repositoryNames(repo)).repositories().get(0)
                .imageTagMutabilityExclusionFilters()).extracting(ImageTagMutabilityExclusionFilter::filter)
                .containsExactly("release-*");
    }

    @Test
    void filterValidation_ecrMessages() {
        String repo = "mut/validation";
        ecr.createRepository(b -> b.repositoryName(repo));
        assertThatThrownBy(() -> ecr.putImageTagMutability(b -> b.repositoryName(repo)
                .imageTagMutability(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION)
                .imageTagMutabilityExclusionFilters(f -> f.filterType("WILDCARD").filter("a*b*c*"))))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Image tag mutability exclusion filter can contain a maximum of 2 wildcards");
        assertThatThrownBy(() -> ecr.putImageTagMutability(b -> b.repositoryName(repo)
                .imageTagMutability(ImageTagMutability.MUTABLE)
                .imageTagMutabilityExclusionFilters(f -> f.filterType("WILDCARD").filter("x"))))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecr.putImageTagMutability(b -> b.repositoryName(repo)
                .imageTagMutability(ImageTagMutability.MUTABLE_WITH_EXCLUSION)))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("can't be null when imageTagMutability is set as MUTABLE_WITH_EXCLUSION");
        assertThatThrownBy(() -> ecr.putImageTagMutability(b -> b.repositoryName(repo)
                .imageTagMutability(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION)
                .imageTagMutabilityExclusionFilters(f -> f.filterType("WILDCARD").filter("bad/char"))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("^[0-9a-zA-Z._*-]{1,128}$");
        List<ImageTagMutabilityExclusionFilter> six = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            six.add(ImageTagMutabilityExclusionFilter.builder().filterType("WILDCARD").filter("f" + i).build());
        }
        assertThatThrownBy(() -> ecr.putImageTagMutability(b -> b.repositoryName(repo)
                .imageTagMutability(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION)
                .imageTagMutabilityExclusionFilters(six))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecr.putImageTagMutability(b -> b.repositoryName("mut/absent")
                .imageTagMutability(ImageTagMutability.IMMUTABLE))).isInstanceOf(RepositoryNotFoundException.class);
        assertThat(ecr.describeRepositories(b -> b.repositoryNames(repo)).repositories().get(0)
                .imageTagMutability()).isEqualTo(ImageTagMutability.MUTABLE);
    }

    @Test
    void concurrentPushesOfOneNewImmutableTag_exactlyOneWins() throws Exception {
        String repo = "mut/race";
        ecr.createRepository(b -> b.repositoryName(repo).imageTagMutability(ImageTagMutability.IMMUTABLE));
        int clients = 8;
        List<Ecr.Pushed> images = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            images.add(Ecr.blobs(SERVER, repo, 100 + i));
        }
        for (int round = 0; round < 3; round++) {
            String tag = "race-" + round;
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<Integer>> results = new ArrayList<>();
            for (Ecr.Pushed p : images) {
                results.add(pool.submit(() -> {
                    go.await();
                    return SERVER.putManifest(repo, tag, MediaTypes.OCI_MANIFEST, p.manifest()).statusCode();
                }));
            }
            go.countDown();
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : results) {
                codes.add(f.get());
            }
            pool.shutdown();
            assertThat(codes).as("round " + round).containsOnly(201, 400);
            assertThat(codes.stream().filter(c -> c == 201).count()).as("winners of " + tag).isEqualTo(1);
        }
    }
}
