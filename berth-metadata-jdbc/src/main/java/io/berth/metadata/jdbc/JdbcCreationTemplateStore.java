package io.berth.metadata.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.model.RegistryId;
import io.berth.core.model.TagMutability;
import io.berth.core.spi.meta.CreationTemplateRecord;
import io.berth.core.spi.meta.CreationTemplateStore;
import io.berth.core.spi.meta.MetadataException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

final class JdbcCreationTemplateStore implements CreationTemplateStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "prefix, description, encryption_type, kms_key, resource_tags, "
            + "tag_mutability, mutability_filters, repository_policy, lifecycle_policy, applied_for, custom_role_arn, "
            + "created_at, updated_at";

    private final Sql sql;

    JdbcCreationTemplateStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public Optional<CreationTemplateRecord> get(RegistryId registryId, String prefix) {
        return sql.one("SELECT " + COLUMNS + " FROM creation_templates WHERE registry_id = ? AND prefix = ?",
                JdbcCreationTemplateStore::record, registryId, prefix);
    }

    @Override
    public boolean create(RegistryId registryId, CreationTemplateRecord t) {
        return sql.update("INSERT INTO creation_templates (registry_id, " + COLUMNS + ") VALUES "
                        + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (registry_id, prefix) DO NOTHING",
                registryId, t.prefix(), t.description(), t.encryptionType(), t.kmsKey(), tags(t.resourceTags()),
                t.tagMutability().name(), String.join("\n", t.exclusionFilters()), t.repositoryPolicy(),
                t.lifecyclePolicy(), String.join("\n", t.appliedFor()), t.customRoleArn(), t.createdAt(),
                t.updatedAt()) > 0;
    }

    @Override
    public boolean update(RegistryId registryId, CreationTemplateRecord t) {
        return sql.update("UPDATE creation_templates SET description = ?, encryption_type = ?, kms_key = ?, "
                        + "resource_tags = ?, tag_mutability = ?, mutability_filters = ?, repository_policy = ?, "
                        + "lifecycle_policy = ?, applied_for = ?, custom_role_arn = ?, updated_at = ? "
                        + "WHERE registry_id = ? AND prefix = ?",
                t.description(), t.encryptionType(), t.kmsKey(), tags(t.resourceTags()), t.tagMutability().name(),
                String.join("\n", t.exclusionFilters()), t.repositoryPolicy(), t.lifecyclePolicy(),
                String.join("\n", t.appliedFor()), t.customRoleArn(), t.updatedAt(), registryId, t.prefix()) > 0;
    }

    @Override
    public boolean delete(RegistryId registryId, String prefix) {
        return sql.update("DELETE FROM creation_templates WHERE registry_id = ? AND prefix = ?", registryId,
                prefix) > 0;
    }

    @Override
    public List<CreationTemplateRecord> list(RegistryId registryId, String afterPrefix, int limit) {
        return sql.list("SELECT " + COLUMNS + " FROM creation_templates WHERE registry_id = ? AND prefix > ? "
                + "ORDER BY prefix LIMIT ?", JdbcCreationTemplateStore::record, registryId,
                afterPrefix == null ? "" : afterPrefix, limit);
    }

    private static String tags(Map<String, String> tags) {
        try {
            return JSON.writeValueAsString(tags);
        } catch (JsonProcessingException e) {
            throw new MetadataException("cannot encode resource tags", e);
        }
    }

    private static CreationTemplateRecord record(ResultSet rs) throws SQLException {
        Map<String, String> tags;
        try {
            tags = JSON.readValue(rs.getString("resource_tags"), new TypeReference<LinkedHashMap<String, String>>() {});
        } catch (JsonProcessingException e) {
            throw new MetadataException("unreadable resource tags of template " + rs.getString("prefix"), e);
        }
        return new CreationTemplateRecord(rs.getString("prefix"), rs.getString("description"),
                rs.getString("encryption_type"), rs.getString("kms_key"), tags,
                TagMutability.valueOf(rs.getString("tag_mutability")), lines(rs.getString("mutability_filters")),
                rs.getString("repository_policy"), rs.getString("lifecycle_policy"),
                Set.copyOf(lines(rs.getString("applied_for"))), rs.getString("custom_role_arn"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }

    private static List<String> lines(String joined) {
        return joined.isEmpty() ? List.of() : List.of(joined.split("\n"));
    }
}
