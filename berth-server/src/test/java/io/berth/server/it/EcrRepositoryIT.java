package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.*;

/** Repository operations through the AWS SDK: create, describe, delete, registry, resource tags, login token. */
class EcrRepositoryIT {
    @RegisterExtension
    static final TestServer SERVER = new TestServer();
    static EcrClient ecr;

    @BeforeAll
    static void client() { ecr = SERVER.ecr(); }

    @Test
    void createRepository_withSettings_describedBack() {
        // the key must exist in the key service, as in ECR; the repository records its ARN
        String keyArn;
        try (software.amazon.awssdk.services.kms.KmsClient kms = software.amazon.awssdk.services.kms.KmsClient
                .builder().endpointOverride(SERVER.uri("/")).region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(TestServer.ROOT_KEY_ID,
                                TestServer.ROOT_SECRET))).build()) {
            keyArn = kms.createKey(b -> { }).keyMetadata().arn();
            kms.createAlias(b -> b.aliasName("alias/mine").targetKeyId(keyArn));
        }
        Repository r = ecr.createRepository(b -> b.repositoryName("team/app")
                .imageTagMutability(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION)
                .imageTagMutabilityExclusionFilters(f -> f.filterType("WILDCARD").filter("latest*"))
                .imageScanningConfiguration(s -> s.scanOnPush(true))
                .encryptionConfiguration(e -> e.encryptionType(EncryptionType.KMS).kmsKey("alias/mine"))
                .tags(Tag.builder().key("team").value("core").build())).repository();
        assertThat(r.repositoryArn()).isEqualTo("arn:aws:ecr:us-east-1:000000000000:repository/team/app");
        assertThat(r.registryId()).isEqualTo("000000000000");
        assertThat(r.repositoryUri()).isEqualTo("127.0.0.1:" + SERVER.port() + "/team/app");
        assertThat(r.createdAt()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
        Repository d = ecr.describeRepositories(b -> b.repositoryNames("team/app")).repositories().get(0);
        assertThat(d.imageTagMutability()).isEqualTo(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION);
        assertThat(d.imageTagMutabilityExclusionFilters()).extracting(ImageTagMutabilityExclusionFilter::filter)
                .containsExactly("latest*");
        assertThat(d.imageScanningConfiguration().scanOnPush()).isTrue();
        assertThat(d.encryptionConfiguration().encryptionType()).isEqualTo(EncryptionType.KMS);
        assertThat(d.encryptionConfiguration().kmsKey()).isEqualTo(keyArn);
        assertThat(ecr.listTagsForResource(b -> b.resourceArn(r.repositoryArn())).tags())
                .containsExactly(Tag.builder().key("team").value("core").build());
    }

    @Test
    void createRepository_defaults_mutableAes256() {
        Repository r = ecr.createRepository(b -> b.repositoryName("defaults")).repository();
        assertThat(r.imageTagMutability()).isEqualTo(ImageTagMutability.MUTABLE);
        assertThat(r.encryptionConfiguration().encryptionType()).isEqualTo(EncryptionType.AES256);
        assertThat(r.imageScanningConfiguration().scanOnPush()).isFalse();
        assertThat(r.imageTagMutabilityExclusionFilters()).isEmpty();
    }

    @Test
    void createRepository_twice_repositoryAlreadyExists() {
        ecr.createRepository(b -> b.repositoryName("twice"));
        assertThatThrownBy(() -> ecr.createRepository(b -> b.repositoryName("twice")))
                .isInstanceOf(RepositoryAlreadyExistsException.class)
                .hasMessageContaining("The repository with name 'twice' already exists in the registry with id "
                        + "'000000000000'")
                .satisfies(e -> assertThat(((EcrException) e).statusCode()).isEqualTo(400));
    }

    @Test
    void createRepository_badName_invalidParameterInEcrForm() {
        assertThatThrownBy(() -> ecr.createRepository(b -> b.repositoryName("Upper/Case")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Invalid parameter at 'repositoryName' failed to satisfy constraint: "
                        + "'must satisfy regular expression '");
        assertThatThrownBy(() -> ecr.createRepository(b -> b.repositoryName("a")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Member must have length greater than or equal to 2");
        assertThatThrownBy(() -> ecr.createRepository(b -> b.repositoryName("x".repeat(257))))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Member must have length less than or equal to 256");
    }

    @Test
    void createRepository_badSettings_refusedAndNothingCreated() {
        assertThatThrownBy(() -> ecr.createRepository(b -> b.repositoryName("bad-settings")
                .imageTagMutability(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION)))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("ImageTagMutabilityExclusionFilters can't be null");
        assertThatThrownBy(() -> ecr.createRepository(b -> b.repositoryName("bad-settings")
                .tags(Tag.builder().key("k".repeat(129)).value("v").build())))
                .isInstanceOf(InvalidTagParameterException.class);
        assertThatThrownBy(() -> ecr.createRepository(b -> b.repositoryName("bad-settings")
                .tags(IntStream.range(0, 51).mapToObj(i -> Tag.builder().key("k" + i).value("v").build())
                        .toList())))
                .isInstanceOf(TooManyTagsException.class);
        assertThatThrownBy(() -> ecr.describeRepositories(b -> b.repositoryNames("bad-settings")))
                .isInstanceOf(RepositoryNotFoundException.class);
    }

    @Test
    void describeRepositories_unknownName_repositoryNotFound() {
        ecr.createRepository(b -> b.repositoryName("known"));
        assertThatThrownBy(() -> ecr.describeRepositories(b -> b.repositoryNames("known", "unknown")))
                .isInstanceOf(RepositoryNotFoundException.class)
                .hasMessageContaining("The repository with name 'unknown' does not exist in the registry with id "
                        + "'000000000000'");
    }

    @Test
    void describeRepositories_namesAndMaxResults_invalidParameter() {
        assertThatThrownBy(() -> ecr.describeRepositories(b -> b.repositoryNames("known").maxResults(5)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecr.describeRepositories(b -> b.maxResults(1001)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecr.describeRepositories(b -> b.nextToken("not-ours")))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void describeRepositories_pagination_visitsEveryRepositoryOnce() {
        for (int i = 0; i < 7; i++) {
            int n = i;
            ecr.createRepository(b -> b.repositoryName("page/r" + n));
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            DescribeRepositoriesResponse r = ecr.describeRepositories(b -> b.maxResults(3).nextToken(t));
            assertThat(r.repositories()).hasSizeLessThanOrEqualTo(3);
            r.repositories().forEach(x -> seen.add(x.repositoryName()));
            token = r.nextToken();
            pages++;
        } while (token != null);
        assertThat(seen).doesNotHaveDuplicates().contains("page/r0", "page/r6");
        assertThat(pages).isGreaterThanOrEqualTo(3);
        // the SDK paginator follows the same tokens
        assertThat(ecr.describeRepositoriesPaginator(b -> b.maxResults(2)).repositories().stream()
                .map(Repository::repositoryName).toList()).containsExactlyElementsOf(seen);
    }

    @Test
    void deleteRepository_notEmpty_refusedUnlessForced_thenGoneEverywhere() throws Exception {
        ecr.createRepository(b -> b.repositoryName("to-delete").tags(Tag.builder().key("a").value("b").build()));
        Ecr.push(SERVER, "to-delete", "v1", 1);
        assertThatThrownBy(() -> ecr.deleteRepository(b -> b.repositoryName("to-delete")))
                .isInstanceOf(RepositoryNotEmptyException.class)
                .hasMessageContaining("cannot be deleted because it still contains images");
        Repository deleted = ecr.deleteRepository(b -> b.repositoryName("to-delete").force(true)).repository();
        assertThat(deleted.repositoryName()).isEqualTo("to-delete");
        assertThatThrownBy(() -> ecr.describeRepositories(b -> b.repositoryNames("to-delete")))
                .isInstanceOf(RepositoryNotFoundException.class);
        assertThat(SERVER.get("/v2/to-delete/manifests/v1").statusCode()).isEqualTo(404);
        // re-created: empty, no old tags or resource tags
        Repository again = ecr.createRepository(b -> b.repositoryName("to-delete")).repository();
        assertThat(ecr.listTagsForResource(b -> b.resourceArn(again.repositoryArn())).tags()).isEmpty();
        assertThat(ecr.listImages(b -> b.repositoryName("to-delete")).imageIds()).isEmpty();
        assertThatThrownBy(() -> ecr.deleteRepository(b -> b.repositoryName("never-was")))
                .isInstanceOf(RepositoryNotFoundException.class);
    }

    @Test
    void deleteRepository_empty_withoutForce() {
        ecr.createRepository(b -> b.repositoryName("empty-one"));
        ecr.deleteRepository(b -> b.repositoryName("empty-one"));
        assertThatThrownBy(() -> ecr.describeRepositories(b -> b.repositoryNames("empty-one")))
                .isInstanceOf(RepositoryNotFoundException.class);
    }

    @Test
    void resourceTags_tagUntagList_andLimits() {
        String arn = ecr.createRepository(b -> b.repositoryName("tagged")).repository().repositoryArn();
        ecr.tagResource(b -> b.resourceArn(arn).tags(Tag.builder().key("a").value("1").build(),
                Tag.builder().key("b").value("2").build()));
        ecr.tagResource(b -> b.resourceArn(arn).tags(Tag.builder().key("a").value("3").build()));
        ecr.untagResource(b -> b.resourceArn(arn).tagKeys("b", "absent"));
        assertThat(ecr.listTagsForResource(b -> b.resourceArn(arn)).tags())
                .containsExactly(Tag.builder().key("a").value("3").build());
        List<Tag> fifty = IntStream.range(0, 50).mapToObj(i -> Tag.builder().key("k" + i).value("v").build())
                .toList();
        assertThatThrownBy(() -> ecr.tagResource(b -> b.resourceArn(arn).tags(fifty)))
                .isInstanceOf(TooManyTagsException.class);
        assertThat(ecr.listTagsForResource(b -> b.resourceArn(arn)).tags()).hasSize(1);
        assertThatThrownBy(() -> ecr.tagResource(b -> b.resourceArn(arn)
                .tags(Tag.builder().key("v").value("x".repeat(257)).build())))
                .isInstanceOf(InvalidTagParameterException.class);
        assertThatThrownBy(() -> ecr.listTagsForResource(b -> b.resourceArn("arn:aws:s3:::bucket")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecr.listTagsForResource(b -> b.resourceArn(
                "arn:aws:ecr:us-east-1:000000000000:repository/missing")))
                .isInstanceOf(RepositoryNotFoundException.class);
    }

    @Test
    void describeRegistry_defaultRegistry_noReplicationRules() {
        DescribeRegistryResponse r = ecr.describeRegistry(b -> {});
        assertThat(r.registryId()).isEqualTo("000000000000");
        assertThat(r.replicationConfiguration().rules()).isEmpty();
    }

    @Test
    void getAuthorizationToken_awsUserAndTwelveHours() {
        AuthorizationData d = ecr.getAuthorizationToken(b -> {}).authorizationData().get(0);
        String decoded = new String(Base64.getDecoder().decode(d.authorizationToken()), StandardCharsets.UTF_8);
        assertThat(decoded).startsWith("AWS:").hasSizeGreaterThan(10);
        assertThat(Duration.between(Instant.now(), d.expiresAt())).isBetween(Duration.ofHours(11),
                Duration.ofHours(12));
        assertThat(d.proxyEndpoint()).isEqualTo("http://127.0.0.1:" + SERVER.port());
    }
}
