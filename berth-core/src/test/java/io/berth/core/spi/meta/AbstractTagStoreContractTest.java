package io.berth.core.spi.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.model.Tag;
import io.berth.core.spi.meta.MetadataStore.Tx;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The {@link TagStore} behaviour every {@link MetadataStore} backend must have. Backends subclass in one line. */
public abstract class AbstractTagStoreContractTest extends AbstractStoreContractTest {

    @Test
    void resolve_unknownTag_isEmpty() {
        long id = repo("repo");
        assertThat(r((Tx tx) -> tx.tags().resolve(id, Tag.of("latest")))).isEmpty();
    }

    @Test
    void put_newTag_returnsNoPreviousAndResolves() {
        long id = repo("repo");
        ManifestRecord m = push(id, "one");
        assertThat(w((Tx tx) -> tx.tags().put(id, Tag.of("latest"), m.digest(), T0))).isEmpty();
        assertThat(r((Tx tx) -> tx.tags().resolve(id, Tag.of("latest")))).contains(m.digest());
    }

    @Test
    void put_existingTag_returnsPreviousTargetAndMovesTag() {
        long id = repo("repo");
        ManifestRecord one = push(id, "one");
        ManifestRecord two = push(id, "two");
        w((Tx tx) -> tx.tags().put(id, Tag.of("latest"), one.digest(), T0));
        assertThat(w((Tx tx) -> tx.tags().put(id, Tag.of("latest"), two.digest(), T0.plusSeconds(1))))
                .contains(one.digest());
        assertThat(r((Tx tx) -> tx.tags().resolve(id, Tag.of("latest")))).contains(two.digest());
        assertThat(r((Tx tx) -> tx.tags().tagsOf(id, one.digest()))).isEmpty();
    }

    @Test
    void putIfAbsent_newTag_returnsTrueAndResolves() {
        long id = repo("repo");
        ManifestRecord m = push(id, "one");
        assertThat(w((Tx tx) -> tx.tags().putIfAbsent(id, Tag.of("v1"), m.digest(), T0))).isTrue();
        assertThat(r((Tx tx) -> tx.tags().resolve(id, Tag.of("v1")))).contains(m.digest());
    }

    @Test
    void putIfAbsent_existingTag_returnsFalseAndKeepsTarget() {
        long id = repo("repo");
        ManifestRecord one = push(id, "one");
        ManifestRecord two = push(id, "two");
        w((Tx tx) -> tx.tags().putIfAbsent(id, Tag.of("v1"), one.digest(), T0));
        assertThat(w((Tx tx) -> tx.tags().putIfAbsent(id, Tag.of("v1"), two.digest(), T0))).isFalse();
        assertThat(w((Tx tx) -> tx.tags().putIfAbsent(id, Tag.of("v1"), one.digest(), T0))).isFalse();
        assertThat(r((Tx tx) -> tx.tags().resolve(id, Tag.of("v1")))).contains(one.digest());
    }

    @Test
    void putIfAbsent_concurrentSameTag_exactlyOneWins() throws Exception {
        long id = repo("repo");
        List<ManifestRecord> candidates = IntStream.range(0, THREADS).mapToObj(i -> push(id, "m" + i)).toList();
        List<Digest> order = new ArrayList<>(candidates.stream().map(ManifestRecord::digest).toList());
        var next = new java.util.concurrent.atomic.AtomicInteger();
        List<Optional<Digest>> results = runConcurrently(() -> {
            Digest mine = order.get(next.getAndIncrement());
            boolean won = w((Tx tx) -> tx.tags().putIfAbsent(id, Tag.of("immutable"), mine, T0));
            return won ? Optional.of(mine) : Optional.<Digest>empty();
        });
        List<Digest> winners = results.stream().flatMap(Optional::stream).toList();
        assertThat(winners).hasSize(1);
        assertThat(r((Tx tx) -> tx.tags().resolve(id, Tag.of("immutable")))).contains(winners.get(0));
    }

    @Test
    void delete_tag_removesTagButNotManifest() {
        long id = repo("repo");
        ManifestRecord m = push(id, "one");
        w((Tx tx) -> tx.tags().put(id, Tag.of("latest"), m.digest(), T0));
        assertThat(w((Tx tx) -> tx.tags().delete(id, Tag.of("latest")))).isTrue();
        assertThat(w((Tx tx) -> tx.tags().delete(id, Tag.of("latest")))).isFalse();
        assertThat(r((Tx tx) -> tx.tags().resolve(id, Tag.of("latest")))).isEmpty();
        assertThat(r((Tx tx) -> tx.manifests().get(id, m.digest()))).isPresent();
    }

    @Test
    void list_tags_pagesInByteOrderWithinRepository() {
        long id = repo("repo");
        long other = repo("other");
        ManifestRecord m = push(id, "one");
        ManifestRecord o = push(other, "one");
        List<String> names = List.of("b", "B", "a", "A", "_x", "1.0", "1-0", "10");
        w((Tx tx) -> {
            names.forEach(n -> tx.tags().put(id, Tag.of(n), m.digest(), T0));
            tx.tags().put(other, Tag.of("zzz"), o.digest(), T0);
            return null;
        });
        List<String> expected = names.stream().sorted().toList();
        assertThat(r((Tx tx) -> tx.tags().list(id, null, 100))).extracting(Tag::value)
                .containsExactlyElementsOf(expected);
        assertThat(r((Tx tx) -> tx.tags().list(id, null, 3))).extracting(Tag::value)
                .containsExactlyElementsOf(expected.subList(0, 3));
        assertThat(r((Tx tx) -> tx.tags().list(id, expected.get(2), 3))).extracting(Tag::value)
                .containsExactlyElementsOf(expected.subList(3, 6));
        assertThat(r((Tx tx) -> tx.tags().list(id, expected.get(expected.size() - 1), 3))).isEmpty();
    }

    @Test
    void tagsOf_manifest_returnsItsTagsInNameOrder() {
        long id = repo("repo");
        ManifestRecord one = push(id, "one");
        ManifestRecord two = push(id, "two");
        w((Tx tx) -> {
            tx.tags().put(id, Tag.of("v2"), one.digest(), T0);
            tx.tags().put(id, Tag.of("v1"), one.digest(), T0);
            tx.tags().put(id, Tag.of("other"), two.digest(), T0);
            return null;
        });
        assertThat(r((Tx tx) -> tx.tags().tagsOf(id, one.digest()))).extracting(Tag::value).containsExactly("v1", "v2");
    }

    @Test
    void tagsBetween_rangeOfManifestDigests_byManifestInNameOrder_thisRepositoryOnly() {
        long id = repo("repo");
        long other = repo("other");
        List<ManifestRecord> sorted = IntStream.range(0, 5).mapToObj(i -> push(id, "m" + i))
                .sorted(java.util.Comparator.comparing(m -> m.digest().toString())).toList();
        ManifestRecord elsewhere = push(other, "m1"); // same digest as one of ours, in another repository
        w((Tx tx) -> {
            tx.tags().put(id, Tag.of("b"), sorted.get(1).digest(), T0);
            tx.tags().put(id, Tag.of("a"), sorted.get(1).digest(), T0);
            tx.tags().put(id, Tag.of("c"), sorted.get(2).digest(), T0);
            tx.tags().put(id, Tag.of("outside"), sorted.get(4).digest(), T0);
            tx.tags().put(other, Tag.of("theirs"), elsewhere.digest(), T0);
            return null;
        });
        var tags = r((Tx tx) -> tx.tags().tagsBetween(id, sorted.get(0).digest(), sorted.get(3).digest()));
        assertThat(tags).as("manifests 0..3: 0 and 3 untagged, 4 outside the range")
                .containsOnlyKeys(sorted.get(1).digest(), sorted.get(2).digest());
        assertThat(tags.get(sorted.get(1).digest())).extracting(Tag::value).containsExactly("a", "b");
        assertThat(tags.get(sorted.get(2).digest())).extracting(Tag::value).containsExactly("c");
        assertThat(r((Tx tx) -> tx.tags().tagsBetween(id, sorted.get(4).digest(), sorted.get(4).digest())))
                .as("a range of one").containsOnlyKeys(sorted.get(4).digest());
    }

    @Test
    void resolveAll_andTagsOfMany_matchTheOneByOneForms() {
        long id = repo("repo");
        long other = repo("other");
        ManifestRecord one = push(id, "one");
        ManifestRecord two = push(id, "two");
        ManifestRecord three = push(id, "three");
        push(other, "one");
        w((Tx tx) -> {
            tx.tags().put(id, Tag.of("b"), one.digest(), T0);
            tx.tags().put(id, Tag.of("a"), one.digest(), T0);
            tx.tags().put(id, Tag.of("c"), two.digest(), T0);
            tx.tags().put(other, Tag.of("d"), one.digest(), T0);
            return null;
        });
        assertThat(r((Tx tx) -> tx.tags().resolveAll(id, List.of(Tag.of("a"), Tag.of("c"), Tag.of("d"),
                Tag.of("none"))))).containsOnly(java.util.Map.entry(Tag.of("a"), one.digest()),
                java.util.Map.entry(Tag.of("c"), two.digest()));
        var tags = r((Tx tx) -> tx.tags().tagsOf(id, List.of(one.digest(), two.digest(), three.digest())));
        assertThat(tags).containsOnlyKeys(one.digest(), two.digest());
        assertThat(tags.get(one.digest())).extracting(Tag::value).containsExactly("a", "b");
        assertThat(tags.get(two.digest())).extracting(Tag::value).containsExactly("c");
    }
}
