package com.backlogmcp.auth.support;

import io.micronaut.data.connection.ConnectionOperations;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.data.jdbc.runtime.PreparedStatementCallback;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain SQL: joins the surrounding transaction when there is one, otherwise runs on its own connection in autocommit.
 * Revocations run in a transaction of their own ({@code GrantRevocations}), apart from the token request that may be
 * failing, so that request cannot roll them back; their outbox row commits with them.
 */
@Singleton
public class JdbcStatements {

    private final JdbcOperations jdbc;
    private final ConnectionOperations<Connection> connections;

    JdbcStatements(JdbcOperations jdbc, ConnectionOperations<Connection> connections) {
        this.jdbc = jdbc;
        this.connections = connections;
    }

    public <R> R prepareStatement(String sql, PreparedStatementCallback<R> callback) {
        return connections.executeWrite(status -> jdbc.prepareStatement(sql, callback));
    }

    /**
     * Inserts one row into {@code table}, each value named by its column. A row of nine or more values bound by
     * position reads as a list of question marks; naming them keeps a reordered or added column from shifting a value
     * into its neighbour's place. Micronaut Data's {@code JdbcOperations} has no named parameters, and Spring JDBC or
     * Jdbi would be a second data-access stack for these few inserts.
     */
    public int insert(String table, Columns columns) {
        List<String> names = new ArrayList<>(columns.values.keySet());
        String sql = "insert into " + table + " (" + String.join(", ", names) + ") values ("
                + String.join(", ", java.util.Collections.nCopies(names.size(), "?")) + ")";
        return prepareStatement(sql, ps -> {
            int i = 1;
            for (Object value : columns.values.values()) {
                ps.setObject(i++, value);
            }
            return ps.executeUpdate();
        });
    }

    /** Column name → value for {@link #insert}, in insertion order; an {@link Instant} is stored as a timestamp. */
    public static final class Columns {
        private final Map<String, Object> values = new LinkedHashMap<>();

        public Columns set(String column, Object value) {
            if (values.containsKey(column)) {
                throw new IllegalArgumentException("column " + column + " set twice");
            }
            values.put(column, value instanceof Instant instant ? Timestamp.from(instant) : value);
            return this;
        }
    }
}
