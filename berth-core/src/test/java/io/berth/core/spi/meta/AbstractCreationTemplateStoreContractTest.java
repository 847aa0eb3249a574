package io.berth.core.spi.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.RegistryId;
import io.berth.core.model.TagMutability;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@link CreationTemplateStore} behaviour every backend must have. Backends subclass in one line. */
public abstract class AbstractCreationTemplateStoreContractTest extends AbstractStoreContractTest {
    private static final RegistryId ACCOUNT = new RegistryId("111122223333");
    private static final RegistryId OTHER = new RegistryId("444455556666");

    private static CreationTemplateRecord template(String prefix) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("team", "core");
        tags.put("env", "");
        return new CreationTemplateRecord(prefix, "for " + prefix, "KMS",
                "arn:aws:kms:us-east-1:111122223333:key/abc-123", tags, TagMutability.IMMUTABLE_WITH_EXCLUSION,
                List.of("latest", "dev-*"), "{\"Version\":\"2012-10-17\",\"Statement\":[]}", "{\"rules\":[]}",
                Set.of("CREATE_ON_PUSH", "REPLICATION"), "arn:aws:iam::111122223333:role/ecr", T0, T0);
    }

    @Test
    void create_thenGet_returnsEveryFieldAsStored() {
        CreationTemplateRecord t = template("team");
        assertThat(w((MetadataStore.Tx tx) -> tx.templates().create(ACCOUNT, t))).as("first create of prefix team").isTrue();
        assertThat(r((MetadataStore.Tx tx) -> tx.templates().get(ACCOUNT, "team"))).as("get after create").contains(t);
        assertThat(r((MetadataStore.Tx tx) -> tx.templates().get(ACCOUNT, "team")).orElseThrow().resourceTags().keySet())
                .as("resource tag order sent team, env").containsExactly("team", "env");
        assertThat(r((MetadataStore.Tx tx) -> tx.templates().get(OTHER, "team"))).as("same prefix in another registry").isEmpty();
    }

    @Test
    void create_existingPrefix_returnsFalseAndKeepsTheFirst() {
        w((MetadataStore.Tx tx) -> tx.templates().create(ACCOUNT, template("team")));
        CreationTemplateRecord second = new CreationTemplateRecord("team", "other", "AES256", null, Map.of(),
                TagMutability.MUTABLE, List.of(), null, null, Set.of("CREATE_ON_PUSH"), null, T0, T0);
        assertThat(w((MetadataStore.Tx tx) -> tx.templates().create(ACCOUNT, second))).as("second create of prefix team").isFalse();
        assertThat(r((MetadataStore.Tx tx) -> tx.templates().get(ACCOUNT, "team")).orElseThrow().description())
                .as("description after the refused create").isEqualTo("for team");
    }

    @Test
    void update_replacesFieldsButNotCreatedAt_andMissingPrefixIsFalse() {
        w((MetadataStore.Tx tx) -> tx.templates().create(ACCOUNT, template("team")));
        CreationTemplateRecord changed = new CreationTemplateRecord("team", null, "AES256", null, Map.of(),
                TagMutability.MUTABLE, List.of(), null, null, Set.of("PULL_THROUGH_CACHE"), null,
                T0.plusSeconds(99), T0.plusSeconds(60));
        assertThat(w((MetadataStore.Tx tx) -> tx.templates().update(ACCOUNT, changed))).as("update of existing team").isTrue();
        CreationTemplateRecord read = r((MetadataStore.Tx tx) -> tx.templates().get(ACCOUNT, "team")).orElseThrow();
        assertThat(read.createdAt()).as("createdAt kept by update").isEqualTo(T0);
        assertThat(read.updatedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(read.appliedFor()).containsExactly("PULL_THROUGH_CACHE");
        assertThat(read.repositoryPolicy()).as("policy cleared by update").isNull();
        assertThat(read.resourceTags()).isEmpty();
        assertThat(w((MetadataStore.Tx tx) -> tx.templates().update(ACCOUNT, template("nope")))).as("update of missing").isFalse();
    }

    @Test
    void delete_removesOnlyThatPrefix() {
        w((MetadataStore.Tx tx) -> tx.templates().create(ACCOUNT, template("team")));
        w((MetadataStore.Tx tx) -> tx.templates().create(ACCOUNT, template("ROOT")));
        assertThat(w((MetadataStore.Tx tx) -> tx.templates().delete(ACCOUNT, "team"))).isTrue();
        assertThat(w((MetadataStore.Tx tx) -> tx.templates().delete(ACCOUNT, "team"))).as("second delete").isFalse();
        assertThat(r((MetadataStore.Tx tx) -> tx.templates().get(ACCOUNT, "ROOT"))).isPresent();
    }

    @Test
    void list_pagesInPrefixOrderPerRegistry() {
        for (String p : List.of("b", "ROOT", "a/x", "a")) {
            w((MetadataStore.Tx tx) -> tx.templates().create(ACCOUNT, template(p)));
        }
        w((MetadataStore.Tx tx) -> tx.templates().create(OTHER, template("zzz")));
        List<String> first = r((MetadataStore.Tx tx) -> tx.templates().list(ACCOUNT, null, 2)).stream()
                .map(CreationTemplateRecord::prefix).toList();
        List<String> rest = r((MetadataStore.Tx tx) -> tx.templates().list(ACCOUNT, first.get(1), 10)).stream()
                .map(CreationTemplateRecord::prefix).toList();
        assertThat(first).as("first page of 2 (byte order: upper case first)").containsExactly("ROOT", "a");
        assertThat(rest).as("after 'a'").containsExactly("a/x", "b");
    }
}
