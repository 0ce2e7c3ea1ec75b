package com.backlogmcp.audit.auditlog;

/** What one {@code mcp.tool-calls.v1} record decodes to: an event to store, or a dead letter to note. */
sealed interface DecodedRecord permits IncomingEvent, DeadLetter {
}
