package io.berth.metadata.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.blob.fs.FileSystemBlobStore;
import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import io.berth.core.service.ImageCatalog;
import io.berth.core.service.ImageCatalog.TagStatus;
import io.berth.core.service.RegistryService.Page;
import io.berth.core.service.RegistryServices;
import io.berth.core.service.ServiceOptions;
import io.berth.core.spi.meta.ManifestRecord;
import io.berth.core.spi.meta.MetadataStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A page of images (DescribeImages, ListImages) costs a fixed number of SQL statements, whatever its size and however
 * many images its filter skips: counted with {@link JdbcMetadataStore#statementsPrepared}. One subclass per database.
 */
abstract class AbstractImageCatalogQueriesTest {
    /** The repository, the filtered manifests, their tags. */
    /** The repository, the filtered manifests, their archive storage states and their tags. */
    static final int STATEMENTS_PER_PAGE = 4;
    static final RepositoryName REPO = RepositoryName.of("team/app");
    static final int IMAGES = 1500;
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;
    MetadataStore store;
    FileSystemBlobStore blobs;
    ImageCatalog images;
    /** Every image's tags (empty when untagged), in digest order: what the pages must add up to. */
    final Map<Digest, List<String>> expected = new LinkedHashMap<>();

    protected abstract MetadataStore newStore(Path dir);

    @BeforeEach
    void seed() throws Exception {
        store = newStore(dir);
        blobs = new FileSystemBlobStore(dir.resolve("blobs"));
        images = new RegistryServices(blobs, store, Clock.systemUTC(), ServiceOptions.singleNode())
                .images(RegistryId.DEFAULT, "test");
        List<ManifestRecord> manifests = IntStream.range(0, IMAGES).mapToObj(i -> {
            byte[] content = ("{\"schemaVersion\":2,\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            return new ManifestRecord(Digest.sha256Of(content), MediaTypes.OCI_MANIFEST, null, null, content, 10, T0);
        }).sorted((a, b) -> a.digest().toString().compareTo(b.digest().toString())).toList();
        // the first 900 in digest order are tagged (an untagged listing must skip them all), then every fifth;
        // every seventh tagged one has a second tag
        store.write(tx -> {
            long id = tx.repositories().getOrCreate(RegistryId.DEFAULT, REPO, T0).id();
            for (int i = 0; i < manifests.size(); i++) {
                ManifestRecord m = manifests.get(i);
                tx.manifests().putIfAbsent(id, m, Set.of(), Set.of());
                List<String> tags = new ArrayList<>();
                if (i < 900 || i % 5 == 0) {
                    tags.add("t" + i);
                    if (i % 7 == 0) {
                        tags.add("u" + i);
                    }
                }
                for (String t : tags) {
                    tx.tags().put(id, Tag.of(t), m.digest(), T0);
                }
                tags.sort(null);
                expected.put(m.digest(), tags);
            }
            return null;
        });
    }

    @AfterEach
    void close() throws Exception {
        store.close();
        blobs.close();
    }

    @ParameterizedTest
    @EnumSource(TagStatus.class)
    void everyPage_costsTheSameFewStatements_andThePagesAddUpToTheImages(TagStatus filter) {
        for (int limit : new int[] {1, 100, 1000}) {
            Map<Digest, List<String>> seen = new LinkedHashMap<>();
            Digest after = null;
            int pages = 0;
            while (true) {
                long before = PostgresTestSchema.jdbc(store).statementsPrepared();
                Page<ImageCatalog.Image> page = images.list(REPO, after, limit, filter);
                long statements = PostgresTestSchema.jdbc(store).statementsPrepared() - before;
                assertThat(statements).as("statements for page %d of %d (%s)", pages, limit, filter)
                        .isLessThanOrEqualTo(STATEMENTS_PER_PAGE);
                assertThat(page.items().size()).isLessThanOrEqualTo(limit);
                page.items().forEach(i -> seen.put(i.manifest().digest(),
                        i.tags().stream().map(Tag::value).toList()));
                pages++;
                if (!page.hasMore()) {
                    break;
                }
                assertThat(page.items()).as("a page that says more follow is full").hasSize(limit);
                after = page.items().get(page.items().size() - 1).manifest().digest();
                if (limit == 1 && pages == 50) {
                    break; // fifty single-image pages make the point; the larger pages check completeness
                }
            }
            if (limit > 1) {
                Map<Digest, List<String>> want = new LinkedHashMap<>();
                expected.forEach((d, tags) -> {
                    if (filter == TagStatus.ANY || (filter == TagStatus.TAGGED) == !tags.isEmpty()) {
                        want.put(d, tags);
                    }
                });
                assertThat(seen).as("pages of %d (%s), in digest order", limit, filter).containsExactlyEntriesOf(want);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void describeImagesByIds_aHundredIds_costAFewStatements_andMatchOneByOne() {
        List<Digest> all = new ArrayList<>(expected.keySet());
        List<Digest> asked = new ArrayList<>();
        for (int i = 0; i < 95; i++) {
            asked.add(all.get(i * 15));
        }
        for (int i = 0; i < 5; i++) {
            asked.add(Digest.sha256Of(("absent " + i).getBytes(StandardCharsets.UTF_8)));
        }
        long before = PostgresTestSchema.jdbc(store).statementsPrepared();
        Map<Digest, ImageCatalog.Image> found = images.findAll(REPO, asked);
        assertThat(PostgresTestSchema.jdbc(store).statementsPrepared() - before)
                .as("statements for 100 digests (repository, manifests, tags, archive states)")
                .isLessThanOrEqualTo(4);
        assertThat(found).hasSize(95);
        for (Digest d : asked) {
            assertThat(found.containsKey(d)).as("%s found", d).isEqualTo(expected.containsKey(d));
            if (found.containsKey(d)) {
                assertThat(found.get(d).manifest().digest()).isEqualTo(d);
                assertThat(found.get(d).tags()).extracting(Tag::value).as("tags of %s, in name order", d)
                        .containsExactlyElementsOf(expected.get(d));
            }
        }

        List<Tag> tags = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            tags.add(Tag.of((i % 2 == 0 ? "t" : "u") + i * 13));
        }
        before = PostgresTestSchema.jdbc(store).statementsPrepared();
        Map<Tag, Digest> targets = images.resolveAll(REPO, tags);
        assertThat(PostgresTestSchema.jdbc(store).statementsPrepared() - before).as("statements for 100 tags")
                .isLessThanOrEqualTo(2);
        for (Tag t : tags) {
            assertThat(targets.get(t)).as("tag %s as resolve() has it", t).isEqualTo(images.resolve(REPO, t)
                    .orElse(null));
        }
        assertThat(targets).as("some of them exist, some not").isNotEmpty().hasSizeLessThan(100);
    }
}
