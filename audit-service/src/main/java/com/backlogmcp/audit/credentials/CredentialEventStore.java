package com.backlogmcp.audit.credentials;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/** Grant/key lifecycle rows: appended idempotently on event id, read newest first by credential or user. */
@Singleton
class CredentialEventStore {

    private static final String INSERT = """
            INSERT INTO credential_event (event_id, at, type, credential_id, user_id, project_id, workspace_id,
                                          client_id, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (event_id) DO NOTHING""";

    private final TransactionOperations<Connection> transactions;

    CredentialEventStore(TransactionOperations<Connection> transactions) {
        this.transactions = transactions;
    }

    void append(List<CredentialEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        transactions.executeWrite(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement(INSERT)) {
                for (CredentialEvent e : events) {
                    ps.setString(1, e.eventId());
                    ps.setTimestamp(2, Timestamp.from(e.at()));
                    ps.setString(3, e.type());
                    ps.setString(4, e.credentialId());
                    ps.setString(5, e.userId());
                    setNullable(ps, 6, e.projectId());
                    setNullable(ps, 7, e.workspaceId());
                    setNullable(ps, 8, e.clientId());
                    setNullable(ps, 9, e.reason());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    List<CredentialEvent> find(@Nullable String credentialId, @Nullable String userId, int limit) {
        StringBuilder sql = new StringBuilder("""
                SELECT event_id, at, type, credential_id, user_id, project_id, workspace_id, client_id, reason
                FROM credential_event WHERE true""");
        List<String> args = new ArrayList<>();
        if (credentialId != null) {
            sql.append(" AND credential_id = ?");
            args.add(credentialId);
        }
        if (userId != null) {
            sql.append(" AND user_id = ?");
            args.add(userId);
        }
        sql.append(" ORDER BY at DESC, event_id DESC LIMIT ").append(limit);
        return transactions.executeRead(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setString(i + 1, args.get(i));
                }
                List<CredentialEvent> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new CredentialEvent(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                                rs.getString(9)));
                    }
                }
                return out;
            }
        });
    }

    private static void setNullable(PreparedStatement ps, int index, String value) throws java.sql.SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }
}
