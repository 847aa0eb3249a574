package io.berth.metadata.jdbc;

import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.spi.meta.ImageScanRecord;
import io.berth.core.spi.meta.ScanStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code registry_scanning} and {@code image_scans} (V14). */
final class JdbcScanStore implements ScanStore {
    private static final String SUMMARY = "digest, scan_type, status, description, started_at, completed_at, "
            + "source_updated_at, severity_counts";

    private final Sql sql;

    JdbcScanStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public Optional<StoredConfiguration> configuration(RegistryId registry) {
        return sql.one("SELECT scan_type, rules, updated_at FROM registry_scanning WHERE account_id = ?",
                rs -> new StoredConfiguration(rs.getString(1), rs.getString(2), Sql.instant(rs, "updated_at")),
                registry);
    }

    @Override
    public void putConfiguration(RegistryId registry, String scanType, String rulesJson, Instant now) {
        sql.update("INSERT INTO registry_scanning (account_id, scan_type, rules, updated_at) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (account_id) DO UPDATE SET scan_type = excluded.scan_type, rules = excluded.rules, "
                + "updated_at = excluded.updated_at", registry, scanType, rulesJson, now);
    }

    @Override
    public Optional<ImageScanRecord> scan(long repositoryId, Digest digest) {
        return sql.one("SELECT " + SUMMARY + ", findings FROM image_scans WHERE repo_id = ? AND digest = ?",
                rs -> record(rs, rs.getString("findings")), repositoryId, digest);
    }

    @Override
    public Map<Digest, ImageScanRecord> summaries(long repositoryId, Collection<Digest> digests) {
        Map<Digest, ImageScanRecord> out = new HashMap<>();
        sql.listIn("SELECT " + SUMMARY + " FROM image_scans WHERE repo_id = ? AND digest IN (%s)", digests,
                rs -> record(rs, null), repositoryId).forEach(r -> out.put(r.digest(), r));
        return out;
    }

    @Override
    public boolean start(long repositoryId, Digest digest, String scanType, Instant now) {
        if (sql.one("SELECT 1 FROM manifests WHERE repo_id = ? AND digest = ?", rs -> 1, repositoryId, digest)
                .isEmpty()) {
            return false;
        }
        sql.update("INSERT INTO image_scans (repo_id, digest, scan_type, status, started_at) "
                + "VALUES (?, ?, ?, 'IN_PROGRESS', ?) ON CONFLICT (repo_id, digest) DO UPDATE SET "
                + "scan_type = excluded.scan_type, status = 'IN_PROGRESS', description = NULL, "
                + "started_at = excluded.started_at", repositoryId, digest, scanType, now);
        return true;
    }

    @Override
    public boolean finish(long repositoryId, Digest digest, Instant startedAt, ImageScanRecord r) {
        // nullable BIGINTs are written as literals: a typed-text NULL would not bind to BIGINT on PostgreSQL
        return sql.update("UPDATE image_scans SET status = ?, description = ?, completed_at = "
                + millis(r.completedAt()) + ", source_updated_at = " + millis(r.sourceUpdatedAt())
                + ", severity_counts = ?, findings = ? WHERE repo_id = ? AND digest = ? AND started_at = ?",
                r.status(), r.description(), r.severityCounts(), r.findings(), repositoryId, digest, startedAt) > 0;
    }

    @Override
    public void putPackages(long repositoryId, Digest digest, Collection<PackageKey> packages) {
        sql.update("DELETE FROM image_packages WHERE repo_id = ? AND digest = ?", repositoryId, digest);
        List<Object[]> rows = packages.stream().distinct()
                .map(p -> new Object[] {repositoryId, digest, p.ecosystem(), p.name()}).toList();
        if (!rows.isEmpty()) {
            sql.batch("INSERT INTO image_packages (repo_id, digest, ecosystem, package) VALUES (?, ?, ?, ?)", rows);
        }
    }

    @Override
    public List<ImageRef> concernedBy(String source, int limit) {
        // the vulnerability tables are berth-scanner's (V13), in the same database: the join finds the images by
        // the (ecosystem, package) indexes of both sides, and the findings text by the source name it records
        return sql.list("SELECT r.registry_id, r.name, m.digest, m.pushed_at, m.last_pulled_at FROM image_scans s "
                        + "JOIN manifests m ON m.repo_id = s.repo_id AND m.digest = s.digest "
                        + "JOIN repositories r ON r.id = s.repo_id "
                        + "WHERE EXISTS (SELECT 1 FROM image_packages p JOIN vuln_advisories a "
                        + "ON a.ecosystem = p.ecosystem AND a.package = p.package "
                        + "JOIN vuln_sources v ON v.source = a.source AND v.generation = a.generation "
                        + "WHERE p.repo_id = s.repo_id AND p.digest = s.digest AND a.source = ?) "
                        + "OR s.findings LIKE ? ESCAPE '!' ORDER BY s.started_at LIMIT ?",
                rs -> new ImageRef(RegistryId.ofKey(rs.getString(1)), RepositoryName.stored(rs.getString(2)),
                        Digest.parse(rs.getString(3)), Instant.ofEpochMilli(rs.getLong(4)),
                        Sql.instantOrNull(rs, "last_pulled_at")),
                source, "%\"source\":\"" + source.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "\"%",
                limit);
    }

    private static String millis(Instant t) {
        return t == null ? "NULL" : Long.toString(t.toEpochMilli());
    }

    private static ImageScanRecord record(ResultSet rs, String findings) throws SQLException {
        return new ImageScanRecord(Digest.parse(rs.getString("digest")), rs.getString("scan_type"),
                rs.getString("status"), rs.getString("description"), Sql.instant(rs, "started_at"),
                Sql.instantOrNull(rs, "completed_at"), Sql.instantOrNull(rs, "source_updated_at"),
                rs.getString("severity_counts"), findings);
    }
}
