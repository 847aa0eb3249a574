package io.berth.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import io.berth.core.spi.meta.RepositoryRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The read cache over a shared database: served only while the feed is live, dropped per repository. */
class ReadCacheTest {
    private static final Tag LATEST = Tag.of("latest");
    private static final Digest D1 = Digest.sha256Of("one".getBytes(StandardCharsets.UTF_8));
    private static final Digest D2 = Digest.sha256Of("two".getBytes(StandardCharsets.UTF_8));

    private final AtomicBoolean live = new AtomicBoolean(true);
    private final ReadCache cache = new ReadCache(Duration.ofMinutes(1), live::get);

    private static RepositoryRecord repo(long id, String name) {
        return new RepositoryRecord(id, RegistryId.DEFAULT, RepositoryName.of(name), Instant.EPOCH, null);
    }

    private static RegistryService.StoredManifest manifest(Digest d) {
        return new RegistryService.StoredManifest(d, "application/vnd.oci.image.manifest.v1+json", new byte[10], null);
    }

    @Test
    void servesWhatReadsFilled_onlyWhileTheFeedIsLive() {
        cache.putTag(1, LATEST, D1, cache.stamp());
        assertThat(cache.tag(1, LATEST)).isEqualTo(D1);
        live.set(false);
        assertThat(cache.tag(1, LATEST)).as("feed down: nothing from memory").isNull();
        cache.putTag(2, LATEST, D2, cache.stamp());
        live.set(true);
        assertThat(cache.tag(2, LATEST)).as("nothing was filled while the feed was down").isNull();
    }

    @Test
    void anotherNodesChange_dropsThatRepositoryOnly() {
        cache.putRepository(repo(1, "a/one"), cache.stamp());
        cache.putRepository(repo(2, "a/two"), cache.stamp());
        cache.putTag(1, LATEST, D1, cache.stamp());
        cache.putTag(2, LATEST, D2, cache.stamp());
        cache.putManifest(1, manifest(D1), cache.stamp());
        cache.putManifest(2, manifest(D2), cache.stamp());

        cache.repositoryChanged(1);

        assertThat(cache.repository(RegistryId.DEFAULT, RepositoryName.of("a/one"))).isNull();
        assertThat(cache.tag(1, LATEST)).isNull();
        assertThat(cache.manifest(1, D1)).isNull();
        assertThat(cache.repository(RegistryId.DEFAULT, RepositoryName.of("a/two"))).isNotNull();
        assertThat(cache.tag(2, LATEST)).isEqualTo(D2);
        assertThat(cache.manifest(2, D2)).isNotNull();
        cache.everythingChanged();
        assertThat(cache.tag(2, LATEST)).isNull();
        assertThat(cache.repository(RegistryId.DEFAULT, RepositoryName.of("a/two"))).isNull();
    }

    @Test
    void aReadThatRacedAnInvalidation_isNotCached() {
        long stamp = cache.stamp(); // the read begins: the database still says D1
        cache.repositoryChanged(1); // another node moved the tag and its notification arrived meanwhile
        cache.putTag(1, LATEST, D1, stamp);
        cache.putManifest(1, manifest(D1), stamp);
        cache.putRepository(repo(1, "a/one"), stamp);
        assertThat(cache.tag(1, LATEST)).isNull();
        assertThat(cache.manifest(1, D1)).isNull();
        assertThat(cache.repository(RegistryId.DEFAULT, RepositoryName.of("a/one"))).isNull();
    }

    @Test
    void thisNodesOwnWrites_dropRatherThanWriteThrough_overASharedDatabase() {
        cache.putTag(1, LATEST, D1, cache.stamp());
        cache.putTag(1, LATEST, D2); // this node moved it; another may move it again a moment later
        assertThat(cache.tag(1, LATEST)).isNull();
        ReadCache single = new ReadCache(Duration.ofMinutes(1));
        single.putTag(1, LATEST, D2);
        assertThat(single.tag(1, LATEST)).as("one node: its own write is exact").isEqualTo(D2);
    }
}
