package io.berth.core.spi.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import io.berth.core.spi.meta.BlobRecordStore.TouchResult;
import io.berth.core.spi.meta.MetadataStore.Tx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link MetadataStore} backend must have. A backend test is a subclass that only says how to
 * open a fresh, empty store; each test gets its own and closes it.
 */
public abstract class AbstractMetadataStoreContractTest {

    protected static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final RegistryId OTHER_REGISTRY = new RegistryId("123456789012");
    private static final int THREADS = 8;

    protected MetadataStore store;

    /** A new store over an empty, migrated database. */
    protected abstract MetadataStore newStore() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    // ---------------------------------------------------------------- helpers

    protected static Digest digest(String seed) {
        return Digest.sha256Of(seed.getBytes(StandardCharsets.UTF_8));
    }

    protected static ManifestRecord manifest(String body) {
        return manifest(body, null, null);
    }

    protected static ManifestRecord manifest(String body, String artifactType, Digest subject) {
        byte[] content = ("{\"body\":\"" + body + "\"}").getBytes(StandardCharsets.UTF_8);
        return new ManifestRecord(Digest.sha256Of(content), MediaTypes.OCI_MANIFEST, artifactType, subject, content,
                1234L, T0);
    }

    private <T> T w(Function<MetadataStore.Tx, T> work) {
        return store.write(work);
    }

    private <T> T r(Function<MetadataStore.Tx, T> work) {
        return store.read(work);
    }

    private long repo(String name) {
        return w((Tx tx) -> tx.repositories().getOrCreate(RegistryId.DEFAULT, RepositoryName.of(name), T0)).id();
    }

    /** Creates blob records for {@code blobs} and stores the manifest referencing them. */
    private ManifestRecord push(long repoId, ManifestRecord m, Digest... blobs) {
        return w((Tx tx) -> {
            for (Digest b : blobs) {
                tx.blobs().touch(b, 10, T0);
            }
            assertThat(tx.blobs().lockLive(List.of(blobs))).containsExactlyInAnyOrder(blobs);
            tx.manifests().putIfAbsent(repoId, m, Set.of(blobs), Set.of());
            return m;
        });
    }

    private ManifestRecord push(long repoId, String body) {
        return push(repoId, manifest(body));
    }

    private static <T> List<T> runConcurrently(Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- store-level

    @Test
    void checkHealth_freshStore_passes() {
        store.checkHealth();
        assertThat(store.describe()).isNotBlank().doesNotContain("password");
    }

    @Test
    void writeUnsynced_commitsLikeWrite_andLaterWritesStayDurable() {
        store.writeUnsynced((Tx tx) -> tx.blobs().touch(digest("u"), 7, T0));
        assertThat(r((Tx tx) -> tx.blobs().get(digest("u")))).as("the unsynced commit is visible")
                .map(BlobRecord::size).contains(7L);
        assertThatThrownBy(() -> store.writeUnsynced((Tx tx) -> {
            tx.blobs().touch(digest("v"), 1, T0);
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(r((Tx tx) -> tx.blobs().get(digest("v")))).as("an unsynced write rolls back too").isEmpty();
        w((Tx tx) -> tx.blobs().touch(digest("w"), 2, T0));
        assertThat(r((Tx tx) -> tx.blobs().get(digest("w")))).as("an ordinary write after it").isPresent();
    }

    @Test
    void write_workThrows_rollsBackEveryChange() {
        assertThatThrownBy(() -> w((Tx tx) -> {
            tx.repositories().getOrCreate(RegistryId.DEFAULT, RepositoryName.of("rolled/back"), T0);
            tx.blobs().touch(digest("b"), 1, T0);
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");

        assertThat(r((Tx tx) -> tx.repositories().get(RegistryId.DEFAULT, RepositoryName.of("rolled/back")))).isEmpty();
        assertThat(r((Tx tx) -> tx.blobs().get(digest("b")))).isEmpty();
    }

    @Test
    void write_constraintViolation_throwsMetadataExceptionAndRollsBack() {
        long id = repo("repo");
        assertThatThrownBy(() -> w((Tx tx) -> {
            tx.uploads().create(new UploadRecord("u1", id, T0));
            // The tag's manifest does not exist.
            return tx.tags().put(id, Tag.of("latest"), digest("missing"), T0);
        })).isInstanceOf(MetadataException.class);
        assertThat(r((Tx tx) -> tx.uploads().get("u1"))).isEmpty();
    }

    /** A push racing DeleteRepository writes into a repository ID that is gone: a distinct, catchable failure. */
    @Test
    void write_intoDeletedRepository_throwsReferencedRowMissing() {
        long id = repo("deleted/under/push");
        w((Tx tx) -> tx.blobs().touch(digest("raced"), 10, T0));
        assertThat(w((Tx tx) -> tx.repositories().delete(id))).isTrue();
        List<Function<Tx, Object>> writes = List.of(
                tx -> { tx.uploads().create(new UploadRecord("raced-upload", id, T0)); return null; },
                tx -> { tx.blobs().link(id, digest("raced"), T0); return null; },
                tx -> tx.manifests().putIfAbsent(id, manifest("raced"), Set.of(), Set.of()));
        for (Function<Tx, Object> write : writes) {
            assertThatThrownBy(() -> w(write)).as("a write into deleted repository %d", id)
                    .isInstanceOf(ReferencedRowMissingException.class);
        }
    }

    // ---------------------------------------------------------------- repositories

    @Test
    void getOrCreate_newName_createsRepository() {
        RepositoryRecord created = w((Tx tx) -> tx.repositories().getOrCreate(RegistryId.DEFAULT,
                RepositoryName.of("team/app"), T0));
        assertThat(created.registryId()).isEqualTo(RegistryId.DEFAULT);
        assertThat(created.name()).isEqualTo(RepositoryName.of("team/app"));
        assertThat(created.createdAt()).isEqualTo(T0);
        assertThat(r((Tx tx) -> tx.repositories().get(RegistryId.DEFAULT, RepositoryName.of("team/app"))))
                .contains(created);
    }

    @Test
    void getOrCreate_existingName_returnsExistingRecord() {
        RepositoryRecord first = w((Tx tx) -> tx.repositories().getOrCreate(RegistryId.DEFAULT, RepositoryName.of("a1"),
                T0));
        RepositoryRecord second = w((Tx tx) -> tx.repositories().getOrCreate(RegistryId.DEFAULT,
                RepositoryName.of("a1"), T0.plusSeconds(60)));
        assertThat(second).isEqualTo(first);
    }

    @Test
    void get_unknownName_isEmpty() {
        assertThat(r((Tx tx) -> tx.repositories().get(RegistryId.DEFAULT, RepositoryName.of("nope")))).isEmpty();
    }

    @Test
    void getOrCreate_sameNameInOtherRegistry_createsSeparateRepository() {
        long mine = repo("shared");
        RepositoryRecord theirs = w((Tx tx) -> tx.repositories().getOrCreate(OTHER_REGISTRY,
                RepositoryName.of("shared"), T0));
        assertThat(theirs.id()).isNotEqualTo(mine);
        assertThat(r((Tx tx) -> tx.repositories().list(RegistryId.DEFAULT, null, 10)))
                .extracting(RepositoryRecord::id).containsExactly(mine);
        assertThat(r((Tx tx) -> tx.repositories().list(OTHER_REGISTRY, null, 10)))
                .extracting(RepositoryRecord::id).containsExactly(theirs.id());
    }

    @Test
    void list_repositories_pagesInByteOrder() {
        // Byte order: '-' < '.' < '/' < digits < '_' < letters; a locale collation would interleave these.
        List<String> names = List.of("b0", "a_b", "a/b", "a.b", "a-b", "ab", "a0");
        names.forEach(this::repo);
        List<String> expected = names.stream().sorted().toList();
        assertThat(expected).containsExactly("a-b", "a.b", "a/b", "a0", "a_b", "ab", "b0");

        List<String> seen = new ArrayList<>();
        String after = null;
        while (true) {
            String cursor = after;
            List<RepositoryRecord> page = r((Tx tx) -> tx.repositories().list(RegistryId.DEFAULT, cursor, 3));
            if (page.isEmpty()) {
                break;
            }
            assertThat(page.size()).isLessThanOrEqualTo(3);
            page.forEach(p -> seen.add(p.name().value()));
            after = page.get(page.size() - 1).name().value();
        }
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(r((Tx tx) -> tx.repositories().list(RegistryId.DEFAULT, "a0", 2)))
                .extracting(p -> p.name().value()).containsExactly("a_b", "ab");
    }

    @Test
    void listNames_sameNamesAndOrderAsList() {
        List.of("b0", "a_b", "a/b", "a.b", "a-b", "ab", "a0").forEach(this::repo);
        w((Tx tx) -> tx.repositories().getOrCreate(OTHER_REGISTRY, RepositoryName.of("zz"), T0));
        List<String> all = r((Tx tx) -> tx.repositories().listNames(RegistryId.DEFAULT, null, 100)).stream()
                .map(RepositoryName::value).toList();
        assertThat(all).as("byte order, this registry only").containsExactly("a-b", "a.b", "a/b", "a0", "a_b", "ab",
                "b0");
        assertThat(r((Tx tx) -> tx.repositories().listNames(RegistryId.DEFAULT, "a0", 2)))
                .extracting(RepositoryName::value).containsExactly("a_b", "ab");
    }

    @Test
    void delete_repositoryWithContent_removesItsRows() {
        long id = repo("doomed");
        long other = repo("kept");
        Digest layer = digest("layer");
        ManifestRecord m = push(id, manifest("m"), layer);
        push(other, manifest("other"));
        w((Tx tx) -> {
            tx.tags().put(id, Tag.of("v1"), m.digest(), T0);
            tx.blobs().link(id, layer, T0);
            tx.uploads().create(new UploadRecord("up-1", id, T0));
            return null;
        });

        assertThat(w((Tx tx) -> tx.repositories().delete(id))).isTrue();

        assertThat(r((Tx tx) -> tx.repositories().get(RegistryId.DEFAULT, RepositoryName.of("doomed")))).isEmpty();
        assertThat(r((Tx tx) -> tx.tags().resolve(id, Tag.of("v1")))).isEmpty();
        assertThat(r((Tx tx) -> tx.manifests().get(id, m.digest()))).isEmpty();
        assertThat(r((Tx tx) -> tx.blobs().isLinked(id, layer))).isFalse();
        assertThat(r((Tx tx) -> tx.uploads().get("up-1"))).isEmpty();
        // The blob record stays for GC, now unreferenced.
        assertThat(r((Tx tx) -> tx.blobs().get(layer))).isPresent();
        assertThat(r((Tx tx) -> tx.blobs().unreferencedBefore(T0.plusSeconds(1), null, 10)))
                .extracting(BlobRecord::digest).contains(layer);
        assertThat(r((Tx tx) -> tx.repositories().get(RegistryId.DEFAULT, RepositoryName.of("kept")))).isPresent();
        assertThat(w((Tx tx) -> tx.repositories().delete(id))).isFalse();
    }

    @Test
    void getOrCreate_concurrentSameName_returnsOneId() throws Exception {
        List<Long> ids = runConcurrently(() -> w((Tx tx) -> tx.repositories()
                .getOrCreate(RegistryId.DEFAULT, RepositoryName.of("race/repo"), T0)).id());
        assertThat(new HashSet<>(ids)).hasSize(1);
        assertThat(r((Tx tx) -> tx.repositories().list(RegistryId.DEFAULT, null, 10))).hasSize(1);
    }

    // ---------------------------------------------------------------- tags

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

    // ---------------------------------------------------------------- manifests

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

    // ---------------------------------------------------------------- blobs

    @Test
    void touch_newDigest_createsLiveRecord() {
        Digest d = digest("blob");
        assertThat(w((Tx tx) -> tx.blobs().touch(d, 42, T0))).isEqualTo(TouchResult.CREATED);
        assertThat(r((Tx tx) -> tx.blobs().get(d))).contains(new BlobRecord(d, 42, T0));
        assertThat(r((Tx tx) -> tx.blobs().get(digest("other")))).isEmpty();
    }

    @Test
    void touch_existingRecord_refreshesLastSeen() {
        Digest d = digest("blob");
        w((Tx tx) -> tx.blobs().touch(d, 42, T0));
        assertThat(w((Tx tx) -> tx.blobs().touch(d, 42, T0.plusSeconds(60)))).isEqualTo(TouchResult.REFRESHED);
        assertThat(r((Tx tx) -> tx.blobs().get(d))).contains(new BlobRecord(d, 42, T0.plusSeconds(60)));
    }

    @Test
    void lockLive_mixedDigests_returnsOnlyLiveRecords() {
        Digest live = digest("live");
        Digest deleting = digest("deleting");
        Digest missing = digest("missing");
        w((Tx tx) -> {
            tx.blobs().touch(live, 1, T0);
            tx.blobs().touch(deleting, 1, T0);
            return tx.blobs().markDeleting(deleting, T0.plusSeconds(1));
        });
        assertThat(w((Tx tx) -> tx.blobs().lockLive(List.of(live, deleting, missing)))).containsExactly(live);
        assertThat(w((Tx tx) -> tx.blobs().lockLive(List.of()))).isEmpty();
    }

    @Test
    void link_liveBlob_isLinkedIdempotently() {
        long id = repo("repo");
        long other = repo("other");
        Digest d = digest("blob");
        Digest unlinked = digest("unlinked");
        w((Tx tx) -> {
            tx.blobs().touch(d, 1, T0);
            tx.blobs().touch(unlinked, 1, T0);
            tx.blobs().link(id, d, T0);
            tx.blobs().link(id, d, T0.plusSeconds(1));
            return null;
        });
        assertThat(r((Tx tx) -> tx.blobs().isLinked(id, d))).isTrue();
        assertThat(r((Tx tx) -> tx.blobs().isLinked(other, d))).isFalse();
        assertThat(r((Tx tx) -> tx.blobs().linked(id, List.of(d, unlinked, digest("missing"))))).containsExactly(d);
        assertThat(w((Tx tx) -> tx.blobs().unlink(id, d))).isTrue();
        assertThat(w((Tx tx) -> tx.blobs().unlink(id, d))).isFalse();
        assertThat(r((Tx tx) -> tx.blobs().isLinked(id, d))).isFalse();
        assertThat(r((Tx tx) -> tx.blobs().get(d))).isPresent();
    }

    @Test
    void link_blobWithoutLiveRecord_throwsMetadataException() {
        long id = repo("repo");
        assertThatThrownBy(() -> w((Tx tx) -> {
            tx.blobs().link(id, digest("missing"), T0);
            return null;
        })).isInstanceOf(MetadataException.class);
    }

    // ---------------------------------------------------------------- GC protocol

    @Test
    void unreferencedBefore_mixedRecords_returnsOnlyOldUnreferencedInDigestOrder() {
        long id = repo("repo");
        Digest referenced = digest("referenced");
        push(id, manifest("m"), referenced);
        List<Digest> old = IntStream.range(0, 5).mapToObj(i -> digest("old" + i)).sorted().toList();
        Digest fresh = digest("fresh");
        w((Tx tx) -> {
            old.forEach(d -> tx.blobs().touch(d, 1, T0));
            tx.blobs().touch(fresh, 1, T0.plusSeconds(3600));
            return null;
        });
        Instant cutoff = T0.plusSeconds(60);
        assertThat(r((Tx tx) -> tx.blobs().unreferencedBefore(cutoff, null, 100))).extracting(BlobRecord::digest)
                .containsExactlyElementsOf(old);
        assertThat(r((Tx tx) -> tx.blobs().unreferencedBefore(cutoff, null, 2))).extracting(BlobRecord::digest)
                .containsExactlyElementsOf(old.subList(0, 2));
        assertThat(r((Tx tx) -> tx.blobs().unreferencedBefore(cutoff, old.get(1), 100))).extracting(BlobRecord::digest)
                .containsExactlyElementsOf(old.subList(2, 5));
        // The cutoff is exclusive.
        assertThat(r((Tx tx) -> tx.blobs().unreferencedBefore(T0, null, 100))).isEmpty();
    }

    @Test
    void markDeleting_oldUnreferencedBlob_marksAndHidesIt() {
        Digest d = digest("garbage");
        w((Tx tx) -> tx.blobs().touch(d, 1, T0));
        assertThat(w((Tx tx) -> tx.blobs().markDeleting(d, T0.plusSeconds(60)))).isTrue();
        assertThat(r((Tx tx) -> tx.blobs().get(d))).isEmpty();
        assertThat(r((Tx tx) -> tx.blobs().beingDeleted(10))).containsExactly(d);
        assertThat(r((Tx tx) -> tx.blobs().unreferencedBefore(T0.plusSeconds(60), null, 10))).isEmpty();
        assertThat(w((Tx tx) -> tx.blobs().markDeleting(d, T0.plusSeconds(60)))).isFalse();
    }

    @Test
    void markDeleting_referencedBlob_refuses() {
        long id = repo("repo");
        Digest layer = digest("layer");
        push(id, manifest("m"), layer);
        assertThat(w((Tx tx) -> tx.blobs().markDeleting(layer, T0.plusSeconds(60)))).isFalse();
        assertThat(r((Tx tx) -> tx.blobs().get(layer))).isPresent();
        assertThat(r((Tx tx) -> tx.blobs().beingDeleted(10))).isEmpty();
    }

    @Test
    void markDeleting_blobSeenAfterCutoff_refuses() {
        Digest d = digest("fresh");
        w((Tx tx) -> tx.blobs().touch(d, 1, T0.plusSeconds(120)));
        assertThat(w((Tx tx) -> tx.blobs().markDeleting(d, T0.plusSeconds(60)))).isFalse();
        assertThat(w((Tx tx) -> tx.blobs().markDeleting(digest("missing"), T0.plusSeconds(60)))).isFalse();
        assertThat(r((Tx tx) -> tx.blobs().get(d))).isPresent();
    }

    @Test
    void touch_blobBeingDeleted_returnsBeingDeletedAndLeavesMark() {
        Digest d = digest("garbage");
        w((Tx tx) -> tx.blobs().touch(d, 1, T0));
        w((Tx tx) -> tx.blobs().markDeleting(d, T0.plusSeconds(60)));
        assertThat(w((Tx tx) -> tx.blobs().touch(d, 1, T0.plusSeconds(90)))).isEqualTo(TouchResult.BEING_DELETED);
        assertThat(r((Tx tx) -> tx.blobs().get(d))).isEmpty();
        assertThat(r((Tx tx) -> tx.blobs().beingDeleted(10))).containsExactly(d);
    }

    @Test
    void remove_markedBlob_deletesRecordAndLinks() {
        long id = repo("repo");
        Digest d = digest("garbage");
        w((Tx tx) -> {
            tx.blobs().touch(d, 1, T0);
            tx.blobs().link(id, d, T0);
            return null;
        });
        w((Tx tx) -> tx.blobs().markDeleting(d, T0.plusSeconds(60)));
        w((Tx tx) -> {
            tx.blobs().remove(d);
            return null;
        });
        assertThat(r((Tx tx) -> tx.blobs().beingDeleted(10))).isEmpty();
        assertThat(r((Tx tx) -> tx.blobs().isLinked(id, d))).isFalse();
        // Gone for good: the next upload starts a new record.
        assertThat(w((Tx tx) -> tx.blobs().touch(d, 1, T0.plusSeconds(120)))).isEqualTo(TouchResult.CREATED);
    }

    @Test
    void markDeleting_whilePushHoldsLiveLock_waitsAndRefuses() throws Exception {
        long id = repo("repo");
        Digest layer = digest("layer");
        w((Tx tx) -> tx.blobs().touch(layer, 1, T0));
        ManifestRecord m = manifest("m");
        CountDownLatch locked = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Boolean> push = pool.submit(() -> w((Tx tx) -> {
                assertThat(tx.blobs().lockLive(List.of(layer))).containsExactly(layer);
                locked.countDown();
                sleep(Duration.ofMillis(300)); // GC tries to mark meanwhile
                return tx.manifests().putIfAbsent(id, m, Set.of(layer), Set.of());
            }));
            assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
            Future<Boolean> mark = pool.submit(() -> w((Tx tx) -> tx.blobs().markDeleting(layer, T0.plusSeconds(60))));
            assertThat(push.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(mark.get(30, TimeUnit.SECONDS)).isFalse();
        } finally {
            pool.shutdownNow();
        }
        assertThat(r((Tx tx) -> tx.blobs().get(layer))).isPresent();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- uploads

    @Test
    void create_upload_isReadableAndDeletable() {
        long id = repo("repo");
        UploadRecord u = new UploadRecord("0f1e2d3c-upload", id, T0);
        w((Tx tx) -> {
            tx.uploads().create(u);
            return null;
        });
        assertThat(r((Tx tx) -> tx.uploads().get(u.uploadId()))).contains(u);
        assertThat(r((Tx tx) -> tx.uploads().get("unknown"))).isEmpty();
        assertThat(w((Tx tx) -> tx.uploads().delete(u.uploadId()))).isTrue();
        assertThat(w((Tx tx) -> tx.uploads().delete(u.uploadId()))).isFalse();
    }

    @Test
    void startedBefore_uploads_returnsOldestFirstUpToLimit() {
        long id = repo("repo");
        w((Tx tx) -> {
            tx.uploads().create(new UploadRecord("c", id, T0.plusSeconds(30)));
            tx.uploads().create(new UploadRecord("a", id, T0.plusSeconds(10)));
            tx.uploads().create(new UploadRecord("b", id, T0.plusSeconds(20)));
            tx.uploads().create(new UploadRecord("new", id, T0.plusSeconds(100)));
            return null;
        });
        assertThat(r((Tx tx) -> tx.uploads().startedBefore(T0.plusSeconds(60), 10))).extracting(UploadRecord::uploadId)
                .containsExactly("a", "b", "c");
        assertThat(r((Tx tx) -> tx.uploads().startedBefore(T0.plusSeconds(60), 2))).extracting(UploadRecord::uploadId)
                .containsExactly("a", "b");
    }

    // ---- repository settings, resource tags, pull times (ECR control plane) ----

    @Test
    void create_withSettings_roundTrips_andSecondCreateIsEmpty() {
        RepositorySettings settings = new RepositorySettings(io.berth.core.model.TagMutability.IMMUTABLE_WITH_EXCLUSION,
                List.of("latest", "dev-*"), true, "KMS", "alias/k");
        Optional<RepositoryRecord> created = w((Tx tx) -> tx.repositories().create(RegistryId.DEFAULT,
                RepositoryName.of("settings/a"), settings, T0));
        assertThat(created).isPresent();
        assertThat(created.get().settings()).isEqualTo(settings);
        assertThat(r((Tx tx) -> tx.repositories().get(RegistryId.DEFAULT, RepositoryName.of("settings/a")))
                .orElseThrow().settings()).isEqualTo(settings);
        assertThat(w((Tx tx) -> tx.repositories().create(RegistryId.DEFAULT, RepositoryName.of("settings/a"),
                RepositorySettings.DEFAULT, T0))).isEmpty();
        assertThat(r((Tx tx) -> tx.repositories().get(RegistryId.DEFAULT, RepositoryName.of("settings/a")))
                .orElseThrow().settings()).isEqualTo(settings);
    }

    @Test
    void getOrCreate_defaultSettings_andUpdateSettings() {
        long id = repo("settings/b");
        assertThat(r((Tx tx) -> tx.repositories().get(RegistryId.DEFAULT, RepositoryName.of("settings/b")))
                .orElseThrow().settings()).isEqualTo(RepositorySettings.DEFAULT);
        RepositorySettings immutable = RepositorySettings.DEFAULT.withMutability(
                io.berth.core.model.TagMutability.IMMUTABLE, List.of());
        assertThat(w((Tx tx) -> tx.repositories().updateSettings(id, immutable))).isTrue();
        assertThat(r((Tx tx) -> tx.repositories().get(RegistryId.DEFAULT, RepositoryName.of("settings/b")))
                .orElseThrow().settings()).isEqualTo(immutable);
        assertThat(w((Tx tx) -> tx.repositories().updateSettings(-1, immutable))).isFalse();
    }

    @Test
    void concurrentCreate_sameName_exactlyOneCreates() throws Exception {
        List<Boolean> created = runConcurrently(() -> w((Tx tx) -> tx.repositories().create(RegistryId.DEFAULT,
                RepositoryName.of("settings/race"), RepositorySettings.DEFAULT, T0)).isPresent());
        assertThat(created.stream().filter(c -> c).count()).isEqualTo(1);
    }

    @Test
    void resourceTags_putOverwriteRemove_andGoWithTheRepository() {
        long id = repo("settings/tags");
        w((Tx tx) -> {
            tx.repositories().putResourceTags(id, java.util.Map.of("b", "2", "a", "1"));
            tx.repositories().putResourceTags(id, java.util.Map.of("a", "3"));
            return null;
        });
        assertThat(r((Tx tx) -> tx.repositories().resourceTags(id)))
                .containsExactly(java.util.Map.entry("a", "3"), java.util.Map.entry("b", "2"));
        w((Tx tx) -> {
            tx.repositories().removeResourceTags(id, List.of("b", "absent"));
            return null;
        });
        assertThat(r((Tx tx) -> tx.repositories().resourceTags(id))).containsOnlyKeys("a");
        w((Tx tx) -> tx.repositories().delete(id));
        assertThat(r((Tx tx) -> tx.repositories().resourceTags(id))).isEmpty();
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
