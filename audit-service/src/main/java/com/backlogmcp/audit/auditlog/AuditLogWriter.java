package com.backlogmcp.audit.auditlog;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Appends a batch of entries in one transaction: the rows (idempotent on event id) and the credentials' last-used times
 * (only ever moved forward, so a redelivered batch changes nothing). When this returns, the batch is durable.
 */
@Singleton
class AuditLogWriter {

    private static final String INSERT = """
            INSERT INTO audit_log (event_id, at, project_id, workspace_id, user_id, client_id, grant_id, key_id,
                                   tool, args_hash, outcome, error_type, latency_ms, request_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (event_id) DO NOTHING""";
    private static final String TOUCH = """
            INSERT INTO credential_last_used (credential_id, last_used_at) VALUES (?, ?)
            ON CONFLICT (credential_id) DO UPDATE
            SET last_used_at = greatest(credential_last_used.last_used_at, excluded.last_used_at)""";

    private final TransactionOperations<Connection> transactions;

    AuditLogWriter(TransactionOperations<Connection> transactions) {
        this.transactions = transactions;
    }

    /** Stores the entries; answers how many rows were new (the rest were already there). */
    int append(List<AuditEntry> entries) {
        if (entries.isEmpty()) {
            return 0;
        }
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            int inserted = insertRows(c, entries);
            touchCredentials(c, entries);
            return inserted;
        });
    }

    private static int insertRows(Connection c, List<AuditEntry> entries) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (AuditEntry e : entries) {
                ps.setString(1, e.eventId());
                ps.setTimestamp(2, Timestamp.from(e.at()));
                ps.setString(3, e.projectId());
                setNullable(ps, 4, e.workspaceId());
                ps.setString(5, e.userId());
                setNullable(ps, 6, e.clientId());
                setNullable(ps, 7, e.grantId());
                setNullable(ps, 8, e.keyId());
                ps.setString(9, e.tool());
                setNullable(ps, 10, e.argsHash());
                ps.setString(11, e.outcome());
                setNullable(ps, 12, e.errorType());
                ps.setLong(13, e.latencyMs());
                setNullable(ps, 14, e.requestId());
                ps.addBatch();
            }
            int inserted = 0;
            for (int n : ps.executeBatch()) {
                inserted += Math.max(n, 0);
            }
            return inserted;
        }
    }

    /** One upsert per credential, in key order so that two consumers never lock the same rows in opposite order. */
    private static void touchCredentials(Connection c, List<AuditEntry> entries) throws SQLException {
        Map<String, Instant> latest = new TreeMap<>();
        for (AuditEntry e : entries) {
            if (e.credentialId() != null) {
                latest.merge(e.credentialId(), e.at(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        if (latest.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(TOUCH)) {
            for (Map.Entry<String, Instant> e : latest.entrySet()) {
                ps.setString(1, e.getKey());
                ps.setTimestamp(2, Timestamp.from(e.getValue()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void setNullable(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }
}
