package io.berth.metadata.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.spi.meta.SigningStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

final class JdbcSigningStore implements SigningStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROFILE_COLUMNS = "name, version, platform_id, validity_value, validity_type, "
            + "status, status_reason, certificate, key_encrypted, revoked_at, revoked_by, revoked_from, created_at, "
            + "updated_at";
    private static final String JOB_COLUMNS = "job_id, profile_name, profile_version, repository, digest, "
            + "signature_digest, status, status_reason, requested_by, created_at, completed_at, signature_expires_at, "
            + "revoked_at, revoked_by, revocation_reason";

    /** A nullable BIGINT parameter: {@link Sql} binds a null as VARCHAR, which PostgreSQL refuses for BIGINT. */
    private static final String N = "CAST(? AS BIGINT)";

    private final Sql sql;

    JdbcSigningStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public Optional<Root> root(RegistryId registry) {
        return sql.one("SELECT certificate, key_encrypted, created_at FROM signing_roots WHERE registry_id = ?",
                rs -> new Root(rs.getBytes("certificate"), rs.getBytes("key_encrypted"),
                        Sql.instant(rs, "created_at")), registry);
    }

    @Override
    public boolean createRoot(RegistryId registry, Root root) {
        return sql.update("INSERT INTO signing_roots (registry_id, certificate, key_encrypted, created_at) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (registry_id) DO NOTHING", registry, root.certificate(),
                root.keyEncrypted(), root.createdAt()) > 0;
    }

    @Override
    public Optional<Profile> profile(RegistryId registry, String name) {
        return sql.one("SELECT " + PROFILE_COLUMNS + " FROM signing_profiles WHERE registry_id = ? AND name = ?",
                JdbcSigningStore::profile, registry, name);
    }

    @Override
    public boolean createProfile(RegistryId registry, Profile p) {
        return sql.update("INSERT INTO signing_profiles (registry_id, " + PROFILE_COLUMNS + ") VALUES "
                        + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " + N + ", ?, " + N + ", ?, ?) ON CONFLICT (registry_id, name) DO NOTHING",
                registry, p.name(), p.version(), p.platformId(), p.validityValue(), p.validityType(), p.status(),
                p.statusReason(), p.certificate(), p.keyEncrypted(), p.revokedAt(), p.revokedBy(), p.revokedFrom(),
                p.createdAt(), p.updatedAt()) > 0;
    }

    @Override
    public java.util.SortedMap<String, String> profileTags(RegistryId registry, String name) {
        java.util.SortedMap<String, String> out = new java.util.TreeMap<>();
        sql.list("SELECT tag_key, tag_value FROM signing_profile_tags WHERE registry_id = ? AND profile_name = ?",
                rs -> out.put(rs.getString(1), rs.getString(2)), registry, name);
        return out;
    }

    @Override
    public void putProfileTags(RegistryId registry, String name, java.util.Map<String, String> tags) {
        for (java.util.Map.Entry<String, String> t : tags.entrySet()) {
            sql.update("INSERT INTO signing_profile_tags (registry_id, profile_name, tag_key, tag_value) "
                    + "VALUES (?, ?, ?, ?) ON CONFLICT (registry_id, profile_name, tag_key) DO UPDATE SET "
                    + "tag_value = excluded.tag_value", registry, name, t.getKey(), t.getValue());
        }
    }

    @Override
    public void deleteProfileTags(RegistryId registry, String name, java.util.Collection<String> keys) {
        for (String key : keys) {
            sql.update("DELETE FROM signing_profile_tags WHERE registry_id = ? AND profile_name = ? AND tag_key = ?",
                    registry, name, key);
        }
    }

    @Override
    public List<Profile> profiles(RegistryId registry, String afterName, int limit) {
        return sql.list("SELECT " + PROFILE_COLUMNS + " FROM signing_profiles WHERE registry_id = ? AND name > ? "
                + "ORDER BY name LIMIT ?", JdbcSigningStore::profile, registry, afterName == null ? "" : afterName,
                limit);
    }

    @Override
    public boolean updateProfileStatus(RegistryId registry, String name, String status, String reason,
                                       Instant revokedAt, String revokedBy, Instant revokedFrom, Instant now) {
        return sql.update("UPDATE signing_profiles SET status = ?, status_reason = ?, revoked_at = " + N
                + ", revoked_by = ?, revoked_from = " + N + ", updated_at = ? WHERE registry_id = ? AND name = ?", status, reason, revokedAt,
                revokedBy, revokedFrom, now, registry, name) > 0;
    }

    @Override
    public void insertJob(RegistryId registry, Job j) {
        sql.update("INSERT INTO signing_jobs (registry_id, " + JOB_COLUMNS + ") VALUES "
                        + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " + N + ", " + N + ", " + N + ", ?, ?)", registry, j.jobId(), j.profileName(),
                j.profileVersion(), j.repository(), j.digest(), j.signatureDigest(), j.status(), j.statusReason(),
                j.requestedBy(), j.createdAt(), j.completedAt(), j.signatureExpiresAt(), j.revokedAt(),
                j.revokedBy(), j.revocationReason());
    }

    @Override
    public boolean claimJob(RegistryId registry, Job j, Instant staleBefore) {
        // The profile's row lock serialises the claims of one profile across nodes (PostgreSQL, READ COMMITTED:
        // the loser waits for the winner's commit, then its check below sees the winner's job); SQLite has a
        // single writer already. A unique constraint cannot express "live" (revoked and stale jobs do not count).
        if (sql.one("SELECT name FROM signing_profiles WHERE registry_id = ? AND name = ?" + sql.dialect.forUpdate(),
                rs -> rs.getString(1), registry, j.profileName()).isEmpty()) {
            return false; // no profile, no claim: nothing to sign with
        }
        boolean taken = sql.one("SELECT job_id FROM signing_jobs WHERE registry_id = ? AND repository = ? "
                        + "AND digest = ? AND profile_name = ? AND profile_version = ? AND revoked_at IS NULL "
                        + "AND (status = 'Succeeded' OR status = 'InProgress' AND created_at > ?) LIMIT 1",
                rs -> rs.getString(1), registry, j.repository(), j.digest(), j.profileName(), j.profileVersion(),
                staleBefore).isPresent();
        if (taken) {
            return false;
        }
        insertJob(registry, j);
        return true;
    }

    @Override
    public boolean finishJob(RegistryId registry, String jobId, String status, String reason, Digest signatureDigest,
                             Instant completedAt, Instant signatureExpiresAt) {
        return sql.update("UPDATE signing_jobs SET status = ?, status_reason = ?, signature_digest = ?, "
                + "completed_at = " + N + ", signature_expires_at = " + N + " WHERE registry_id = ? AND job_id = ?", status, reason,
                signatureDigest, completedAt, signatureExpiresAt, registry, jobId) > 0;
    }

    @Override
    public Optional<Job> job(RegistryId registry, String jobId) {
        return sql.one("SELECT " + JOB_COLUMNS + " FROM signing_jobs WHERE registry_id = ? AND job_id = ?",
                JdbcSigningStore::job, registry, jobId);
    }

    @Override
    public List<Job> jobs(RegistryId registry, int offset, int limit) {
        return sql.list("SELECT " + JOB_COLUMNS + " FROM signing_jobs WHERE registry_id = ? "
                + "ORDER BY created_at DESC, job_id LIMIT ? OFFSET ?", JdbcSigningStore::job, registry, limit, offset);
    }

    @Override
    public List<Job> jobsFor(RegistryId registry, String repository, Digest digest) {
        return sql.list("SELECT " + JOB_COLUMNS + " FROM signing_jobs WHERE registry_id = ? AND repository = ? "
                + "AND digest = ? ORDER BY created_at, job_id", JdbcSigningStore::job, registry, repository, digest);
    }

    @Override
    public boolean revokeJob(RegistryId registry, String jobId, String reason, String revokedBy, Instant at) {
        return sql.update("UPDATE signing_jobs SET revoked_at = ?, revoked_by = ?, revocation_reason = ? "
                + "WHERE registry_id = ? AND job_id = ? AND revoked_at IS NULL", at, revokedBy, reason, registry,
                jobId) > 0;
    }

    @Override
    public Optional<String> configuration(RegistryId registry) {
        return sql.one("SELECT configuration FROM signing_configurations WHERE registry_id = ?",
                rs -> rs.getString(1), registry);
    }

    @Override
    public void putConfiguration(RegistryId registry, String configurationJson, Instant now) {
        sql.update("INSERT INTO signing_configurations (registry_id, configuration, updated_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (registry_id) DO UPDATE SET configuration = excluded.configuration, "
                + "updated_at = excluded.updated_at", registry, configurationJson, now);
    }

    @Override
    public boolean deleteConfiguration(RegistryId registry) {
        return sql.update("DELETE FROM signing_configurations WHERE registry_id = ?", registry) > 0;
    }

    @Override
    public void putImageStatus(RegistryId registry, String repository, Digest digest, ImageStatus s) {
        sql.update("INSERT INTO image_signing_status (registry_id, repository, digest, profile_arn, status, "
                + "failure_code, failure_reason, job_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (registry_id, repository, digest, profile_arn) DO UPDATE SET status = excluded.status, "
                + "failure_code = excluded.failure_code, failure_reason = excluded.failure_reason, "
                + "job_id = excluded.job_id, updated_at = excluded.updated_at", registry, repository, digest,
                s.profileArn(), s.status(), s.failureCode(), s.failureReason(), s.jobId(), s.updatedAt());
    }

    @Override
    public List<ImageStatus> imageStatuses(RegistryId registry, String repository, Digest digest) {
        return sql.list("SELECT profile_arn, status, failure_code, failure_reason, job_id, updated_at "
                + "FROM image_signing_status WHERE registry_id = ? AND repository = ? AND digest = ? "
                + "ORDER BY profile_arn", rs -> new ImageStatus(rs.getString("profile_arn"), rs.getString("status"),
                rs.getString("failure_code"), rs.getString("failure_reason"), rs.getString("job_id"),
                Sql.instant(rs, "updated_at")), registry, repository, digest);
    }

    @Override
    public List<Digest> manifestsWithBlob(RegistryId registry, String repository, Digest blob, int limit) {
        return sql.list("SELECT mb.manifest_digest FROM manifest_blobs mb JOIN repositories r ON r.id = mb.repo_id "
                + "WHERE r.registry_id = ? AND r.name = ? AND mb.blob_digest = ? ORDER BY mb.manifest_digest LIMIT ?",
                rs -> Digest.parse(rs.getString(1)), registry, repository, blob, limit);
    }

    @Override
    public List<Requirement> requirements(RegistryId registry) {
        return sql.list("SELECT filter, profiles, updated_at FROM signing_requirements WHERE registry_id = ? "
                + "ORDER BY filter", rs -> new Requirement(rs.getString("filter"), list(rs.getString("profiles")),
                Sql.instant(rs, "updated_at")), registry);
    }

    @Override
    public void putRequirement(RegistryId registry, Requirement r) {
        String profiles;
        try {
            profiles = JSON.writeValueAsString(r.profiles());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        sql.update("INSERT INTO signing_requirements (registry_id, filter, profiles, updated_at) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (registry_id, filter) DO UPDATE SET profiles = excluded.profiles, "
                + "updated_at = excluded.updated_at", registry, r.filter(), profiles, r.updatedAt());
    }

    @Override
    public boolean deleteRequirement(RegistryId registry, String filter) {
        return sql.update("DELETE FROM signing_requirements WHERE registry_id = ? AND filter = ?", registry,
                filter) > 0;
    }

    private static List<String> list(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored signing requirement is not a JSON list", e);
        }
    }

    private static Profile profile(ResultSet rs) throws SQLException {
        return new Profile(rs.getString("name"), rs.getString("version"), rs.getString("platform_id"),
                rs.getInt("validity_value"), rs.getString("validity_type"), rs.getString("status"),
                rs.getString("status_reason"), rs.getBytes("certificate"), rs.getBytes("key_encrypted"),
                Sql.instantOrNull(rs, "revoked_at"), rs.getString("revoked_by"), Sql.instantOrNull(rs, "revoked_from"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }

    private static Job job(ResultSet rs) throws SQLException {
        return new Job(rs.getString("job_id"), rs.getString("profile_name"), rs.getString("profile_version"),
                rs.getString("repository"), Sql.digest(rs, "digest"), Sql.digest(rs, "signature_digest"),
                rs.getString("status"), rs.getString("status_reason"), rs.getString("requested_by"),
                Sql.instant(rs, "created_at"), Sql.instantOrNull(rs, "completed_at"),
                Sql.instantOrNull(rs, "signature_expires_at"), Sql.instantOrNull(rs, "revoked_at"),
                rs.getString("revoked_by"), rs.getString("revocation_reason"));
    }
}
