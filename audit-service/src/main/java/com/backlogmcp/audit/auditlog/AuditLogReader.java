package com.backlogmcp.audit.auditlog;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/** Newest-first keyset pages of the audit log. Filters are bound parameters, never spliced into SQL. */
@Singleton
class AuditLogReader {

    private final TransactionOperations<Connection> transactions;

    AuditLogReader(TransactionOperations<Connection> transactions) {
        this.transactions = transactions;
    }

    AuditLogPage page(AuditLogFilter f) {
        StringBuilder sql = new StringBuilder("""
                SELECT event_id, at, project_id, workspace_id, user_id, client_id, grant_id, key_id, tool, args_hash,
                       outcome, error_type, latency_ms, request_id
                FROM audit_log WHERE true""");
        List<Object> args = new ArrayList<>();
        if (f.projectId() != null) {
            sql.append(" AND project_id = ?");
            args.add(f.projectId());
        }
        if (f.userId() != null) {
            sql.append(" AND user_id = ?");
            args.add(f.userId());
        }
        if (f.tool() != null) {
            sql.append(" AND tool = ?");
            args.add(f.tool());
        }
        if (f.clientId() != null) {
            sql.append(" AND client_id = ?");
            args.add(f.clientId());
        }
        if (f.outcome() != null) {
            sql.append(" AND outcome = ?");
            args.add(f.outcome());
        }
        if (f.workspaceId() != null) {
            sql.append(" AND workspace_id = ?");
            args.add(f.workspaceId());
        }
        if (f.from() != null) {
            sql.append(" AND at >= ?");
            args.add(Timestamp.from(f.from()));
        }
        if (f.to() != null) {
            sql.append(" AND at < ?");
            args.add(Timestamp.from(f.to()));
        }
        if (f.after() != null) {
            sql.append(" AND (at, event_id) < (?, ?)");
            args.add(Timestamp.from(f.after().at()));
            args.add(f.after().eventId());
        }
        sql.append(" ORDER BY at DESC, event_id DESC LIMIT ?");
        args.add(f.limit() + 1);

        List<AuditEntry> rows = transactions.executeRead(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                List<AuditEntry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(map(rs));
                    }
                }
                return out;
            }
        });
        if (rows.size() <= f.limit()) {
            return new AuditLogPage(rows, null);
        }
        List<AuditEntry> page = rows.subList(0, f.limit());
        AuditEntry last = page.getLast();
        return new AuditLogPage(List.copyOf(page), new PageCursor(last.at(), last.eventId()).encode());
    }

    private static AuditEntry map(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                rs.getString(11), rs.getString(12), rs.getLong(13), rs.getString(14));
    }
}
