package com.backlogmcp.audit.auditlog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** A page of the audit log, newest first; {@code nextCursor} is null on the last page. */
@Serdeable
public record AuditLogPage(List<AuditEntry> entries, @Nullable String nextCursor) {
}
