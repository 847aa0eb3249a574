package io.berth.metadata.jdbc;

import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import io.berth.core.spi.meta.MetadataException;
import io.berth.core.spi.meta.ReferencedRowMissingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one connection of a transaction, with the few statement shapes the stores need. Binds the domain types the
 * schema's way (digests and names as text, instants as epoch milliseconds) and wraps every {@link SQLException} in a
 * {@link MetadataException} that names the statement, so no store method handles JDBC errors itself.
 */
final class Sql {

    /** Rows of an IN list per statement: far below SQLite's 32,766 and PostgreSQL's 65,535 parameter limits. */
    static final int IN_CHUNK = 500;

    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private final Connection connection;
    final Dialect dialect;
    private final LongAdder statements;
    private boolean finished;

    /** @param statements counts every statement prepared (see {@link JdbcMetadataStore#statementsPrepared}) */
    Sql(Connection connection, Dialect dialect, LongAdder statements) {
        this.connection = connection;
        this.dialect = dialect;
        this.statements = statements;
    }

    /** The transaction's connection, for {@link JdbcMetadataStore#readJdbc} and {@code writeJdbc}. */
    Connection connection() {
        if (finished) {
            throw new IllegalStateException("transaction already ended: a Tx must not escape read/write");
        }
        return connection;
    }

    /** Called when the transaction ends, so a Tx leaked out of {@code read}/{@code write} fails loudly. */
    void finish() { finished = true; }

    int update(String sql, Object... args) {
        try (PreparedStatement ps = prepare(sql, args)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /** Runs one statement once per row of arguments, as a JDBC batch. */
    void batch(String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = prepare(sql)) {
            for (Object[] row : rows) {
                bind(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    <T> Optional<T> one(String sql, Row<T> row, Object... args) {
        try (PreparedStatement ps = prepare(sql, args); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.ofNullable(row.map(rs)) : Optional.empty();
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    <T> List<T> list(String sql, Row<T> row, Object... args) {
        try (PreparedStatement ps = prepare(sql, args); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row.map(rs));
            }
            return out;
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /**
     * The digests among {@code digests} that a query returns, where {@code sqlWithIn} contains {@code IN (%s)} for
     * the digests and {@code leading} are the arguments before them. Chunked so any collection size works.
     */
    Set<Digest> digestsIn(String sqlWithIn, Collection<Digest> digests, Object... leading) {
        if (digests.isEmpty()) {
            return Set.of();
        }
        // Sorted so PostgreSQL takes row locks (FOR SHARE) in one global order and two callers cannot deadlock.
        List<Digest> sorted = digests.stream().distinct().sorted().toList();
        return new HashSet<>(listIn(sqlWithIn, sorted, rs -> Digest.parse(rs.getString(1)), leading));
    }

    /**
     * The rows a query returns for {@code values}, where {@code sqlWithIn} contains {@code IN (%s)} for them and
     * {@code leading} are the arguments before them; chunked as {@link #digestsIn} is, one statement per
     * {@link #IN_CHUNK} values.
     */
    <T> List<T> listIn(String sqlWithIn, Collection<?> values, Row<T> row, Object... leading) {
        List<?> distinct = values.stream().distinct().toList();
        List<T> out = new ArrayList<>();
        for (int from = 0; from < distinct.size(); from += IN_CHUNK) {
            List<?> chunk = distinct.subList(from, Math.min(distinct.size(), from + IN_CHUNK));
            String sql = String.format(sqlWithIn, String.join(",", Collections.nCopies(chunk.size(), "?")));
            Object[] args = new Object[leading.length + chunk.size()];
            System.arraycopy(leading, 0, args, 0, leading.length);
            for (int i = 0; i < chunk.size(); i++) {
                args[leading.length + i] = chunk.get(i);
            }
            out.addAll(list(sql, row, args));
        }
        return out;
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        return Instant.ofEpochMilli(rs.getLong(column));
    }

    static Instant instantOrNull(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    static Digest digest(ResultSet rs, String column) throws SQLException {
        String value = rs.getString(column);
        return value == null ? null : Digest.parse(value);
    }

    private PreparedStatement prepare(String sql, Object... args) throws SQLException {
        if (finished) {
            throw new IllegalStateException("transaction already ended: a Tx must not escape read/write");
        }
        statements.increment();
        PreparedStatement ps = connection.prepareStatement(sql);
        try {
            bind(ps, args);
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
        return ps;
    }

    private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            int p = i + 1;
            if (a == null) {
                // Only text columns are nullable (artifact_type, subject); a typed null keeps PostgreSQL happy.
                ps.setNull(p, Types.VARCHAR);
            } else if (a instanceof String s) {
                ps.setString(p, s);
            } else if (a instanceof Long l) {
                ps.setLong(p, l);
            } else if (a instanceof Integer n) {
                ps.setInt(p, n);
            } else if (a instanceof Boolean b) {
                ps.setBoolean(p, b);
            } else if (a instanceof byte[] bytes) {
                ps.setBytes(p, bytes);
            } else if (a instanceof Instant t) {
                ps.setLong(p, t.toEpochMilli());
            } else if (a instanceof RegistryId r) {
                ps.setString(p, r.key()); // the account, plus the region off the default one
            } else if (a instanceof Digest || a instanceof Tag || a instanceof RepositoryName) {
                ps.setString(p, a.toString());
            } else {
                throw new IllegalArgumentException("cannot bind " + a.getClass().getName());
            }
        }
    }

    private static MetadataException failed(String sql, SQLException e) {
        if (isForeignKeyViolation(e)) {
            return new ReferencedRowMissingException("metadata statement references a missing row: "
                    + sql.replaceAll("\\s+", " ").trim(), e);
        }
        return new MetadataException("metadata statement failed (SQLState " + e.getSQLState() + "): "
                + sql.replaceAll("\\s+", " ").trim(), e);
    }

    /**
     * PostgreSQL: SQLState 23503. SQLite reports SQLITE_CONSTRAINT_FOREIGNKEY (787) as its extended code and names
     * it in the message; its SQLState is not specific, so the code and the message are what tell.
     */
    static boolean isForeignKeyViolation(SQLException e) {
        if ("23503".equals(e.getSQLState()) || e.getErrorCode() == 787) {
            return true;
        }
        String message = e.getMessage();
        return message != null && (message.contains("SQLITE_CONSTRAINT_FOREIGNKEY")
                || message.contains("FOREIGN KEY constraint failed"));
    }
}
