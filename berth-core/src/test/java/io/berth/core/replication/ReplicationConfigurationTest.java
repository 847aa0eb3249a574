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
    void jobTarget_roundTrips_withTheSourceRegion() {
        Replication.ReplicationTarget t = new Replication.ReplicationTarget(
                new RegistryId("000000000000").inRegion("eu-west-1"), RepositoryName.of("a/b-c"),
                Digest.sha256Of("x".getBytes(StandardCharsets.UTF_8)), PEER);
        assertThat(Replication.ReplicationTarget.parse(t.format())).isEqualTo(t);
    }
}
