package io.berth.server.it;

import static io.berth.server.it.ReplicationIT.await;
import static io.berth.server.it.ReplicationIT.dest;
import static io.berth.server.it.ReplicationIT.put;
import static io.berth.server.it.ReplicationIT.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.server.config.JobsConfig;
import io.berth.server.config.RegionsConfig;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Beyond ECR, through the real server: the per-destination opt-ins of {@code berth admin replication} (issue 12
 * §2). A us-east-1 registry replicates to eu-west-1 of the same deployment; eu-west-1's {@code /v2} is reached
 * by host name. Tag moves reach the destination only once it opted in; a tag filter lets through only images
 * with a matching tag, for pushes and for the backfill alike.
 */
class ReplicationOptInIT {
    @RegisterExtension
    static final TestServer server = new TestServer()
            .with(RegionsConfig.REGIONS, "us-east-1,eu-west-1")
            .with(RegionsConfig.REGION_HOSTS, "localhost=eu-west-1")
            .with(JobsConfig.RETRY_BACKOFF, "1s")
            .with(JobsConfig.RETRY_BACKOFF_MAX, "2s");

    static final String WEST = "eu-west-1:" + TestServer.ACCOUNT;

    /** The digest eu-west-1's {@code repo:tag} names, or "" when it does not exist there. */
    static String westDigest(String repo, String tag) {
        String answer = RegionsIT.raw0(server.port(), "localhost:" + server.port(), "/v2/" + repo + "/manifests/"
                + tag, server.basicAuth());
        if (!answer.startsWith("HTTP/1.1 200")) {
            return "";
        }
        for (String line : answer.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("docker-content-digest:")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        throw new AssertionError("no Docker-Content-Digest in " + answer);
    }

    static Digest pushed(String repo, String tag, long seed) throws Exception {
        Ecr.Pushed p = Ecr.push(server, repo, tag, seed);
        await(repo + ":" + tag + " at eu-west-1", () -> westDigest(repo, tag).equals(p.digest().toString()));
        return p.digest();
    }

    static void retag(String repo, String tag, Digest digest) throws Exception {
        String manifest = TestServer.text(server.get("/v2/" + repo + "/manifests/" + digest,
                "Accept", MediaTypes.OCI_MANIFEST));
        assertThat(server.putManifest(repo, tag, MediaTypes.OCI_MANIFEST, manifest).statusCode()).isEqualTo(201);
    }

    @Test
    void tagMoves_reachTheDestinationOnlyOnceItOptedIn() throws Exception {
        assertThat(put(server.ecr(), List.of(rule(List.of(dest("eu-west-1", TestServer.ACCOUNT)), "mv")))).isEmpty();
        Digest a = pushed("mv/app", "stable", 1);
        Digest b = pushed("mv/app", "2", 2);
        retag("mv/app", "stable", b);
        Thread.sleep(1_500);
        assertThat(westDigest("mv/app", "stable")).as("as ECR: a tag moved onto an existing image stays put")
                .isEqualTo(a.toString());

        String out = server.admin("replication", "--destination", WEST, "--propagate-tag-moves", "true");
        assertThat(out).contains("Tag moves now propagate to " + WEST)
                .contains(WEST + ": propagate-deletes false, propagate-tag-moves true, tag-filter (none)");
        Digest c = pushed("mv/app", "3", 3);
        retag("mv/app", "stable", c);
        await("stable moved to the third image at eu-west-1", () -> westDigest("mv/app", "stable")
                .equals(c.toString()));
        retag("mv/app", "stable", a);
        await("stable moved back onto the first image at eu-west-1", () -> westDigest("mv/app", "stable")
                .equals(a.toString()));
        assertThat(westDigest("mv/app", "3")).as("the image keeps its other tags").isEqualTo(c.toString());

        server.admin("replication", "--destination", WEST, "--propagate-tag-moves", "false");
        retag("mv/app", "stable", b);
        Thread.sleep(1_500);
        assertThat(westDigest("mv/app", "stable")).as("opted out again").isEqualTo(a.toString());
    }

    @Test
    void tagFilter_replicatesOnlyImagesWithAMatchingTag_pushedOrBackfilled() throws Exception {
        Ecr.push(server, "flt/old", "release-0", 20);
        Ecr.push(server, "flt/old", "dev-0", 21);
        Thread.sleep(1_500); // their events are read (within half a second) before the rule exists: not replicated
        assertThat(put(server.ecr(), List.of(rule(List.of(dest("eu-west-1", TestServer.ACCOUNT)), "flt")))).isEmpty();
        assertThat(io.berth.server.MainAccess.execute("admin", "replication", "--destination", WEST,
                "--tag-filter", "bad tag", "--data", server.data().toString())).as("a pattern with a space").isOne();
        assertThat(io.berth.server.MainAccess.execute("admin", "replication", "--destination",
                "eu-west-1:999999999999", "--tag-filter", "v*", "--data", server.data().toString()))
                .as("a destination no rule names").isOne();
        String out = server.admin("replication", "--destination", WEST, "--tag-filter", "release-*",
                "--tag-filter", "v1.*");
        assertThat(out).contains("Only images tagged release-* or v1.* replicate to " + WEST);

        Ecr.push(server, "flt/app", "dev-1", 22);
        Digest release = pushed("flt/app", "release-1", 23);
        Digest v1 = pushed("flt/app", "v1.4", 24);
        Ecr.push(server, "flt/app", "v10", 25);
        Digest last = pushed("flt/app", "release-2", 26);
        assertThat(List.of(release, v1, last)).doesNotHaveDuplicates();
        assertThat(westDigest("flt/app", "dev-1")).as("no tag matches: not replicated").isEmpty();
        assertThat(westDigest("flt/app", "v10")).as("v1.* is not a prefix of v10").isEmpty();

        assertThat(server.admin("replicate", "--backfill", "--repository", "flt/old"))
                .contains("Queued 1 replication jobs");
        await("flt/old:release-0 at eu-west-1 after the backfill", () -> !westDigest("flt/old", "release-0")
                .isEmpty());
        assertThat(westDigest("flt/old", "dev-0")).as("the backfill honours the filter too").isEmpty();

        assertThat(server.admin("replication", "--destination", WEST, "--clear-tag-filter"))
                .contains("Every image replicates to " + WEST);
        pushed("flt/app", "dev-2", 27);
    }
}
