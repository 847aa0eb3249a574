package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.MediaTypes;
import io.berth.server.config.RegionsConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.Repository;

/**
 * Regions and replication with the metadata on PostgreSQL: the same repository name in two regions, and a push
 * to us-east-1 replicated to eu-west-1 (selected by the host localhost) through the real server.
 */
class PostgresRegionsIT {
    @RegisterExtension
    static final TestServer server = new TestServer().onPostgres()
            .with(RegionsConfig.REGIONS, "us-east-1,eu-west-1")
            .with(RegionsConfig.REGION_HOSTS, "localhost=eu-west-1");

    @Test
    void perRegionRepositories_andReplicationBetweenThem() throws Exception {
        try (EcrClient west = EcrClient.builder().endpointOverride(server.uri("/")).region(Region.EU_WEST_1)
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(TestServer.ROOT_KEY_ID,
                                TestServer.ROOT_SECRET))).build()) {
            EcrClient east = server.ecr();
            Repository w = west.createRepository(b -> b.repositoryName("pg/app")).repository();
            Repository e = east.createRepository(b -> b.repositoryName("pg/app")).repository();
            assertThat(w.repositoryArn()).isEqualTo("arn:aws:ecr:eu-west-1:000000000000:repository/pg/app");
            assertThat(e.repositoryArn()).isEqualTo("arn:aws:ecr:us-east-1:000000000000:repository/pg/app");
            assertThat(ReplicationIT.put(east, List.of(ReplicationIT.rule(List.of(ReplicationIT.dest("eu-west-1",
                    TestServer.ACCOUNT)), "pg")))).isEmpty();
            Ecr.Pushed p = Ecr.blobs(server, "pg/app", 5);
            assertThat(server.putManifest("pg/app", "1", MediaTypes.OCI_MANIFEST, p.manifest()).statusCode())
                    .isEqualTo(201);
            ReplicationIT.await("pg/app:1 at eu-west-1", () -> RegionsIT.rawOk(server.port(),
                    "localhost:" + server.port(), "/v2/pg/app/manifests/1", server.basicAuth()));
            assertThat(west.describeImages(b -> b.repositoryName("pg/app")).imageDetails()).singleElement()
                    .satisfies(d -> assertThat(d.imageTags()).containsExactly("1"));
        }
    }
}
