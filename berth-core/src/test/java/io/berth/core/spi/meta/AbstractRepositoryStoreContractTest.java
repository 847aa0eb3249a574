package io.berth.core.spi.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import io.berth.core.spi.meta.MetadataStore.Tx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The {@link RepositoryStore} behaviour every {@link MetadataStore} backend must have: names, listing, deletion,
 * settings and resource tags. Backends subclass in one line.
 */
public abstract class AbstractRepositoryStoreContractTest extends AbstractStoreContractTest {
    private static final RegistryId OTHER_REGISTRY = new RegistryId("123456789012");

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
    void namesLinking_thisRegistryOnly_inNameOrder_paged() {
        Digest blob = digest("shared-layer");
        Digest elsewhere = digest("other-layer");
        long theirs = w((Tx tx) -> tx.repositories().getOrCreate(OTHER_REGISTRY, RepositoryName.of("a0"), T0)).id();
        List<Long> ids = List.of("c/x", "a/y", "bb", "d-unlinked").stream().map(this::repo).toList();
        w((Tx tx) -> {
            tx.blobs().touch(blob, 1, T0);
            tx.blobs().touch(elsewhere, 1, T0);
            for (long id : ids.subList(0, 3)) {
                tx.blobs().link(id, blob, T0);
            }
            tx.blobs().link(theirs, blob, T0);
            tx.blobs().link(ids.get(3), elsewhere, T0);
            return null;
        });
        assertThat(r((Tx tx) -> tx.repositories().namesLinking(RegistryId.DEFAULT, blob, null, 10)))
                .as("this registry's linking repositories, byte order").extracting(RepositoryName::value)
                .containsExactly("a/y", "bb", "c/x");
        assertThat(r((Tx tx) -> tx.repositories().namesLinking(RegistryId.DEFAULT, blob, null, 2)))
                .extracting(RepositoryName::value).containsExactly("a/y", "bb");
        assertThat(r((Tx tx) -> tx.repositories().namesLinking(RegistryId.DEFAULT, blob, "bb", 2)))
                .extracting(RepositoryName::value).containsExactly("c/x");
        assertThat(r((Tx tx) -> tx.repositories().namesLinking(OTHER_REGISTRY, blob, null, 10)))
                .extracting(RepositoryName::value).containsExactly("a0");
        assertThat(r((Tx tx) -> tx.repositories().namesLinking(RegistryId.DEFAULT, digest("absent"), null, 10)))
                .isEmpty();
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
}
