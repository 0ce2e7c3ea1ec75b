package com.backlogmcp.audit.auditlog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/** One audit-log row as stored and as served by {@code GET /internal/audit-log}. Never holds raw arguments. */
@Serdeable
public record AuditEntry(
        String eventId,
        Instant at,
        String projectId,
        @Nullable String workspaceId,
        String userId,
        @Nullable String clientId,
        @Nullable String grantId,
        @Nullable String keyId,
        String tool,
        @Nullable String argsHash,
        String outcome,
        @Nullable String errorType,
        long latencyMs,
        @Nullable String requestId) {

    /** The grant id, else the API key id: what auth-service asks last-used times for. */
    @Nullable
    public String credentialId() {
        return grantId != null ? grantId : keyId;
    }
}
