package io.berth.core.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.replication.ReplicationConfiguration.Destination;
import io.berth.core.replication.ReplicationConfiguration.Rule;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicationConfigurationTest {
    static final Destination WEST = new Destination("eu-west-1", "111122223333");
    static final Destination PEER = new Destination("ap-south-1", "111122223333");

    @Test
    void destinations_byPrefix_distinct_andNoFilterMeansAll() {
        ReplicationConfiguration c = new ReplicationConfiguration(List.of(new Rule(List.of(WEST), List.of("prod")),
                new Rule(List.of(WEST, PEER), List.of("prod/app", "team")), new Rule(List.of(PEER), List.of())));
        assertThat(c.destinationsFor(RepositoryName.of("prod/app"))).containsExactly(WEST, PEER);
        assertThat(c.destinationsFor(RepositoryName.of("production"))).as("a prefix, not a path segment")
                .containsExactly(WEST, PEER);
        assertThat(c.destinationsFor(RepositoryName.of("other"))).as("only the filterless rule").containsExactly(PEER);
        assertThat(c.allDestinations()).containsExactly(WEST, PEER);
        assertThat(ReplicationConfiguration.fromJson(c.toJson())).isEqualTo(c);
    }

    @Test
    void optIns_roundTrip_surviveRulesThatStillNameTheDestination_andReadOldJson() {
        ReplicationConfiguration c = new ReplicationConfiguration(List.of(new Rule(List.of(WEST, PEER), List.of())))
                .withPropagateTagMoves(WEST, true).withTagFilter(PEER, List.of("release-*", "v1.*"))
                .withPropagateDeletes(PEER, true);
        assertThat(ReplicationConfiguration.fromJson(c.toJson())).isEqualTo(c);
        assertThat(c.admits(WEST, List.of())).as("no filter: every image, tagged or not").isTrue();
        assertThat(c.admits(PEER, List.of("dev", "release-3"))).isTrue();
        assertThat(c.admits(PEER, List.of("v1.2"))).isTrue();
        assertThat(c.admits(PEER, List.of("v10", "xrelease-1"))).as("the whole tag must match").isFalse();
        assertThat(c.admits(PEER, List.of())).as("an untagged push passes no filter").isFalse();

        ReplicationConfiguration kept = c.replacingRules(List.of(new Rule(List.of(PEER), List.of("x"))));
        assertThat(kept.propagateTagMoves()).as("WEST is no longer named").isEmpty();
        assertThat(kept.tagFilter(PEER)).containsExactly("release-*", "v1.*");
        assertThat(kept.propagateDeletes()).containsExactly(PEER);
        assertThat(c.withTagFilter(PEER, List.of()).tagFilters()).isEmpty();

        ReplicationConfiguration old = ReplicationConfiguration.fromJson("{\"rules\":[{\"destinations\":[{\"region\":"
                + "\"eu-west-1\",\"registryId\":\"111122223333\"}],\"prefixes\":[]}],\"propagateDeletes\":[]}");
        assertThat(old.propagateTagMoves()).isEmpty();
        assertThat(old.tagFilters()).isEmpty();
        assertThat(old.allDestinations()).containsExactly(WEST);
    }

    @Test
    void jobTarget_roundTrips_withTheSourceRegion() {
        Replication.ReplicationTarget t = new Replication.ReplicationTarget(
                new RegistryId("000000000000").inRegion("eu-west-1"), RepositoryName.of("a/b-c"),
                Digest.sha256Of("x".getBytes(StandardCharsets.UTF_8)), PEER);
        assertThat(Replication.ReplicationTarget.parse(t.format())).isEqualTo(t);
    }
}
