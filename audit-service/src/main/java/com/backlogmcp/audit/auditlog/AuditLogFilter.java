package com.backlogmcp.audit.auditlog;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/** What {@code GET /internal/audit-log} narrows by; every part optional, {@code from} inclusive, {@code to} exclusive. */
record AuditLogFilter(@Nullable String projectId, @Nullable String userId, @Nullable String tool,
                      @Nullable Instant from, @Nullable Instant to, @Nullable PageCursor after, int limit,
                      @Nullable String clientId, @Nullable String outcome, @Nullable String workspaceId) {
}
