package com.backlogmcp.audit.auditlog;

import io.micronaut.core.annotation.Nullable;

/** A decoded tool-call event ready to store: its audit row, and the daily lease block it spent a slot from, if any. */
record IncomingEvent(AuditEntry entry, @Nullable String quotaBlockId) implements DecodedRecord {
}
