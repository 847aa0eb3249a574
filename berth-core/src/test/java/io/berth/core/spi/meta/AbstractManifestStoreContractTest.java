package io.berth.core.spi.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.core.model.Tag;
import io.berth.core.spi.meta.MetadataStore.Tx;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The {@link ManifestStore} behaviour every {@link MetadataStore} backend must have. Backends subclass in one line. */
public abstract class AbstractManifestStoreContractTest extends AbstractStoreContractTest {

    @Test
    void putIfAbsent_newManifest_storesEveryField() {
        long id = repo("repo");
        Digest subject = digest("subject");
        ManifestRecord m = new ManifestRecord(digest("m"), MediaTypes.OCI_MANIFEST, "application/x-sbom", subject,
                new byte[] {0, 1, 2, (byte) 0xff}, 987_654_321_000L, T0.plusMillis(123));
        assertThat(w((Tx tx) -> tx.manifests().putIfAbsent(id, m, Set.of(), Set.of()))).isTrue();
        ManifestRecord stored = r((Tx tx) -> tx.manifests().get(id, m.digest())).orElseThrow();
        assertThat(stored).usingRecursiveComparison().isEqualTo(m);
        assertThat(stored.size()).isEqualTo(4);
    }

    @Test
    void putIfAbsent_sameDigestTwice_returnsFalseAndKeepsFirst() {
        long id = repo("repo");
        ManifestRecord first = manifest("m");
        ManifestRecord again = new ManifestRecord(first.digest(), first.mediaType(), "changed", null,
                first.content(), 1, T0.plusSeconds(5));
        assertThat(w((Tx tx) -> tx.manifests().putIfAbsent(id, first, Set.of(), Set.of()))).isTrue();
        assertThat(w((Tx tx) -> tx.manifests().putIfAbsent(id, again, Set.of(), Set.of()))).isFalse();
        assertThat(r((Tx tx) -> tx.manifests().get(id, first.digest())).orElseThrow())
                .usingRecursiveComparison().isEqualTo(first);
    }

    @Test
    void get_manifestOfOtherRepository_isEmpty() {
        long id = repo("repo");
        long other = repo("other");
        ManifestRecord m = push(id, "one");
        assertThat(r((Tx tx) -> tx.manifests().get(other, m.digest()))).isEmpty();
        assertThat(r((Tx tx) -> tx.manifests().get(id, digest("unknown")))).isEmpty();
    }

    @Test
    void putIfAbsent_blobWithoutRecord_throwsMetadataException() {
        long id = repo("repo");
        ManifestRecord m = manifest("m");
        assertThatThrownBy(() -> w((Tx tx) -> tx.manifests().putIfAbsent(id, m, Set.of(digest("no-record")), Set.of())))
                .isInstanceOf(MetadataException.class);
        assertThat(r((Tx tx) -> tx.manifests().get(id, m.digest()))).isEmpty();
    }

    @Test
    void existing_manyDigests_returnsOnlyStoredOnes() {
        long id = repo("repo");
        ManifestRecord one = push(id, "one");
        ManifestRecord two = push(id, "two");
        List<Digest> query = new ArrayList<>(IntStream.range(0, 1200).mapToObj(i -> digest("x" + i)).toList());
        query.add(one.digest());
        query.add(two.digest());
        assertThat(r((Tx tx) -> tx.manifests().existing(id, query))).containsExactlyInAnyOrder(one.digest(), two.digest());
        assertThat(r((Tx tx) -> tx.manifests().existing(id, List.of()))).isEmpty();
    }

    @Test
    void delete_manifest_removesItAndItsTags() {
        long id = repo("repo");
        ManifestRecord m = push(id, "one");
        ManifestRecord kept = push(id, "two");
        w((Tx tx) -> {
            tx.tags().put(id, Tag.of("a"), m.digest(), T0);
            tx.tags().put(id, Tag.of("b"), m.digest(), T0);
            tx.tags().put(id, Tag.of("c"), kept.digest(), T0);
            return null;
        });
        assertThat(w((Tx tx) -> tx.manifests().delete(id, m.digest()))).isTrue();
        assertThat(r((Tx tx) -> tx.manifests().get(id, m.digest()))).isEmpty();
        assertThat(r((Tx tx) -> tx.tags().list(id, null, 10))).extracting(Tag::value).containsExactly("c");
        assertThat(w((Tx tx) -> tx.manifests().delete(id, m.digest()))).isFalse();
    }

    @Test
    void delete_manifest_releasesItsBlobReferences() {
        long id = repo("repo");
        Digest layer = digest("layer");
        ManifestRecord m = push(id, manifest("m"), layer);
        Instant cutoff = T0.plusSeconds(1);
        assertThat(r((Tx tx) -> tx.blobs().unreferencedBefore(cutoff, null, 10))).isEmpty();
        w((Tx tx) -> tx.manifests().delete(id, m.digest()));
        assertThat(r((Tx tx) -> tx.blobs().unreferencedBefore(cutoff, null, 10)))
                .extracting(BlobRecord::digest).containsExactly(layer);
    }

    @Test
    void referrers_subject_returnsReferrersFilteredByArtifactType() {
        long id = repo("repo");
        ManifestRecord subject = push(id, "subject");
        ManifestRecord sbom = push(id, manifest("sbom", "application/spdx+json", subject.digest()));
        ManifestRecord sig = push(id, manifest("sig", "application/vnd.dev.cosign", subject.digest()));
        push(id, manifest("unrelated", "application/spdx+json", digest("elsewhere")));

        assertThat(r((Tx tx) -> tx.manifests().referrers(id, subject.digest(), null)))
                .extracting(ManifestRecord::digest).containsExactlyInAnyOrder(sbom.digest(), sig.digest());
        assertThat(r((Tx tx) -> tx.manifests().referrers(id, subject.digest(), "application/spdx+json")))
                .extracting(ManifestRecord::digest).containsExactly(sbom.digest());
        assertThat(r((Tx tx) -> tx.manifests().referrers(id, subject.digest(), "application/none"))).isEmpty();
        assertThat(r((Tx tx) -> tx.manifests().referrers(repo("other"), subject.digest(), null))).isEmpty();
    }

    @Test
    void parentsOf_child_returnsIndexesListingIt() {
        long id = repo("repo");
        ManifestRecord amd64 = push(id, "amd64");
        ManifestRecord arm64 = push(id, "arm64");
        ManifestRecord index1 = indexOf("i1", amd64, arm64);
        ManifestRecord index2 = indexOf("i2", amd64);
        w((Tx tx) -> {
            tx.manifests().putIfAbsent(id, index1, Set.of(), Set.of(amd64.digest(), arm64.digest()));
            tx.manifests().putIfAbsent(id, index2, Set.of(), Set.of(amd64.digest()));
            return null;
        });
        assertThat(r((Tx tx) -> tx.manifests().parentsOf(id, amd64.digest())))
                .containsExactlyInAnyOrder(index1.digest(), index2.digest());
        assertThat(r((Tx tx) -> tx.manifests().parentsOf(id, arm64.digest()))).containsExactly(index1.digest());

        w((Tx tx) -> tx.manifests().delete(id, index1.digest()));
        assertThat(r((Tx tx) -> tx.manifests().parentsOf(id, arm64.digest()))).isEmpty();
    }

    private static ManifestRecord indexOf(String body, ManifestRecord... children) {
        byte[] content = ("{\"index\":\"" + body + "\",\"n\":" + children.length + "}")
                .getBytes(StandardCharsets.UTF_8);
        return new ManifestRecord(Digest.sha256Of(content), MediaTypes.OCI_INDEX, null, null, content, 1, T0);
    }

    @Test
    void list_manifests_pagesInDigestOrder() {
        long id = repo("repo");
        List<Digest> digests = IntStream.range(0, 7).mapToObj(i -> push(id, "m" + i).digest()).sorted().toList();
        assertThat(r((Tx tx) -> tx.manifests().list(id, null, 4))).extracting(ManifestRecord::digest)
                .containsExactlyElementsOf(digests.subList(0, 4));
        assertThat(r((Tx tx) -> tx.manifests().list(id, digests.get(3), 4))).extracting(ManifestRecord::digest)
                .containsExactlyElementsOf(digests.subList(4, 7));
    }

    @Test
    void list_filteredByTags_pagesOverTheKindAsked() {
        long id = repo("repo");
        long other = repo("other");
        List<ManifestRecord> records = IntStream.range(0, 9).mapToObj(i -> push(id, "m" + i))
                .sorted(java.util.Comparator.comparing(ManifestRecord::digest)).toList();
        List<Digest> digests = records.stream().map(ManifestRecord::digest).toList();
        push(other, records.get(1)); // untagged here, tagged in the other repository: still untagged here
        w((Tx tx) -> {
            for (int i = 0; i < digests.size(); i += 3) { // 0, 3, 6 tagged; 0 twice
                tx.tags().put(id, Tag.of("t" + i), digests.get(i), T0);
            }
            tx.tags().put(id, Tag.of("again"), digests.get(0), T0);
            tx.tags().put(other, Tag.of("theirs"), digests.get(1), T0);
            return null;
        });
        List<Digest> tagged = List.of(digests.get(0), digests.get(3), digests.get(6));
        List<Digest> untagged = digests.stream().filter(d -> !tagged.contains(d)).toList();
        assertThat(r((Tx tx) -> tx.manifests().list(id, null, 2, ManifestStore.TagFilter.TAGGED)))
                .extracting(ManifestRecord::digest).containsExactlyElementsOf(tagged.subList(0, 2));
        assertThat(r((Tx tx) -> tx.manifests().list(id, tagged.get(1), 2, ManifestStore.TagFilter.TAGGED)))
                .extracting(ManifestRecord::digest).containsExactly(tagged.get(2));
        assertThat(r((Tx tx) -> tx.manifests().list(id, null, 100, ManifestStore.TagFilter.UNTAGGED)))
                .extracting(ManifestRecord::digest).containsExactlyElementsOf(untagged);
        assertThat(r((Tx tx) -> tx.manifests().list(id, untagged.get(2), 2, ManifestStore.TagFilter.UNTAGGED)))
                .extracting(ManifestRecord::digest).containsExactlyElementsOf(untagged.subList(3, 5));
        assertThat(r((Tx tx) -> tx.manifests().list(id, digests.get(4), 100, ManifestStore.TagFilter.ANY)))
                .extracting(ManifestRecord::digest).containsExactlyElementsOf(digests.subList(5, 9));
    }

    @Test
    void getAll_returnsTheRepositorysOnesAmongTheDigests() {
        long id = repo("repo");
        long other = repo("other");
        ManifestRecord a = push(id, "a");
        ManifestRecord b = push(id, "b");
        ManifestRecord theirs = push(other, "theirs");
        assertThat(r((Tx tx) -> tx.manifests().getAll(id, List.of(a.digest(), b.digest(), theirs.digest(),
                digest("absent"))))).extracting(ManifestRecord::digest).containsExactlyInAnyOrder(a.digest(),
                b.digest());
        assertThat(r((Tx tx) -> tx.manifests().getAll(id, List.of()))).isEmpty();
    }

    @Test
    void recordPull_andReferencesBlob() {
        long id = repo("settings/pulls");
        Digest layer = digest("layer");
        ManifestRecord m = push(id, manifest("pulled"), layer);
        assertThat(r((Tx tx) -> tx.manifests().get(id, m.digest())).orElseThrow().lastPulledAt()).isNull();
        w((Tx tx) -> {
            tx.manifests().recordPull(id, m.digest(), T0.plusSeconds(5));
            tx.manifests().recordPull(id, digest("absent"), T0); // no such manifest: nothing happens
            return null;
        });
        assertThat(r((Tx tx) -> tx.manifests().get(id, m.digest())).orElseThrow().lastPulledAt())
                .isEqualTo(T0.plusSeconds(5));
        assertThat(r((Tx tx) -> tx.manifests().list(id, null, 10)).get(0).lastPulledAt())
                .isEqualTo(T0.plusSeconds(5));
        assertThat(r((Tx tx) -> tx.manifests().referencesBlob(id, layer))).isTrue();
        assertThat(r((Tx tx) -> tx.manifests().referencesBlob(id, digest("other")))).isFalse();
    }
}
