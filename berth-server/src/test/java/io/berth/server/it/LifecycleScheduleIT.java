package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.MediaTypes;
import io.berth.core.service.LifecycleRuns;
import io.berth.core.spi.meta.JobRecord;
import io.berth.core.spi.meta.JobState;
import io.berth.server.config.LifecycleConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The scheduled evaluation: every {@code lifecycle.interval} each repository with a policy is evaluated, as a job. */
class LifecycleScheduleIT {
    @RegisterExtension
    static final TestServer server = new TestServer().with(LifecycleConfig.INTERVAL, "1s");

    static final String KEEP_ONE_UNTAGGED = "{\"rules\":[{\"rulePriority\":1,\"description\":\"keep one untagged\","
            + "\"selection\":{\"tagStatus\":\"untagged\",\"countType\":\"imageCountMoreThan\",\"countNumber\":1},"
            + "\"action\":{\"type\":\"expire\"}}]}";

    @Test
    void everyInterval_repositoriesWithAPolicyAreEvaluated_andOthersLeftAlone() throws Exception {
        for (String repo : List.of("lcs/policy", "lcs/none")) {
            server.ecr().createRepository(b -> b.repositoryName(repo));
            Ecr.push(server, repo, "tagged", 300);
            for (long seed = 301; seed <= 303; seed++) {
                Ecr.Pushed p = Ecr.blobs(server, repo, seed);
                assertThat(server.putManifest(repo, p.digest().toString(), MediaTypes.OCI_MANIFEST, p.manifest())
                        .statusCode()).isEqualTo(201);
                Thread.sleep(5); // distinct push times: the newest is the one kept
            }
        }
        server.ecr().putLifecyclePolicy(b -> b.repositoryName("lcs/policy").lifecyclePolicyText(KEEP_ONE_UNTAGGED));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (server.ecr().getLifecyclePolicy(b -> b.repositoryName("lcs/policy")).lastEvaluatedAt() == null) {
            assertThat(System.nanoTime()).as("waiting for the first scheduled evaluation").isLessThan(deadline);
            Thread.sleep(200);
        }
        assertThat(server.ecr().listImages(b -> b.repositoryName("lcs/policy")).imageIds()).as("lcs/policy: the "
                + "tagged image and the newest untagged one").hasSize(2);
        assertThat(server.ecr().listImages(b -> b.repositoryName("lcs/none")).imageIds()).as("lcs/none: no policy")
                .hasSize(4);
        List<JobRecord> jobs = server.app().stores().metadata().read(tx -> tx.jobs().list(new io.berth.core.spi.meta.JobStore.Query(null, null, 100)));
        assertThat(jobs).as("a succeeded evaluation job of lcs/policy").anySatisfy(j -> {
            assertThat(j.kind()).isEqualTo(LifecycleRuns.EVALUATE_KIND);
            assertThat(j.target()).isEqualTo(TestServer.ACCOUNT + "/lcs/policy");
            assertThat(j.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(j.progress()).isEqualTo("2 expired, 0 archived, 0 kept of 2 decided");
        });
        assertThat(jobs).as("no job for lcs/none").noneSatisfy(j -> assertThat(j.target()).endsWith("lcs/none"));
    }
}
