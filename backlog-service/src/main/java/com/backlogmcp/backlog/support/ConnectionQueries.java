package com.backlogmcp.backlog.support;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Plain JDBC on the connection of the current transaction. SQL stays visible where it is used; this class only
 * removes the statement/result-set boilerplate and converts the few types we bind (instants, lists, dates).
 */
public final class ConnectionQueries {

    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private final Connection connection;

    public ConnectionQueries(Connection connection) {
        this.connection = connection;
    }

    public Connection connection() {
        return connection;
    }

    public <T> List<T> list(String sql, Row<T> row, Object... params) {
        try (PreparedStatement ps = prepare(sql, params); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row.map(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new DataAccessFailure(sql, e);
        }
    }

    public <T> Optional<T> one(String sql, Row<T> row, Object... params) {
        List<T> rows = list(sql, row, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public int update(String sql, Object... params) {
        try (PreparedStatement ps = prepare(sql, params)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new DataAccessFailure(sql, e);
        }
    }

    private PreparedStatement prepare(String sql, Object... params) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            if (params[i] instanceof Json.Document document) {
                // Types.OTHER lets the server read the text as the column's type (jsonb).
                ps.setObject(i + 1, document.text(), java.sql.Types.OTHER);
            } else {
                ps.setObject(i + 1, bindable(params[i]));
            }
        }
        return ps;
    }

    private Object bindable(Object value) throws SQLException {
        if (value instanceof Instant instant) {
            return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
        }
        if (value instanceof Collection<?> values) {
            return connection.createArrayOf("text", values.toArray());
        }
        return value;
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }

    public static LocalDate date(ResultSet rs, String column) throws SQLException {
        java.sql.Date d = rs.getDate(column);
        return d == null ? null : d.toLocalDate();
    }

    public static List<String> strings(ResultSet rs, String column) throws SQLException {
        Array array = rs.getArray(column);
        if (array == null) {
            return List.of();
        }
        return Arrays.stream((Object[]) array.getArray()).map(String::valueOf).toList();
    }

    /** A database failure nobody can act on inside a tool; surfaces as a 500 with no details. */
    public static final class DataAccessFailure extends RuntimeException {
        private final String sqlState;

        public DataAccessFailure(String sql, SQLException cause) {
            super("SQL failed (" + cause.getSQLState() + "): " + sql.strip().lines().findFirst().orElse(""), cause);
            this.sqlState = cause.getSQLState();
        }

        public String sqlState() {
            return sqlState;
        }

        /**
         * The statement failed on the values it was given, not on the database: class 22 (data exception — numeric
         * out of range, string too long, invalid text representation, untranslatable character, bad datetime) or
         * 54000 (a value too large for an index row).
         */
        public boolean rejectedInput() {
            return sqlState != null && (sqlState.startsWith("22") || sqlState.equals("54000"));
        }

        /**
         * The database could not be reached or is going away: class 08 (connection exception), 57P (operator
         * intervention: shutdown, crash recovery) or 53 (insufficient resources, e.g. too many connections). Nothing
         * the caller sent is wrong, and the same call may well succeed in a moment.
         */
        public boolean databaseUnavailable() {
            return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57P") || sqlState.startsWith("53"));
        }
    }
}
