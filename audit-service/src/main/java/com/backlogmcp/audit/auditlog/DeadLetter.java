package com.backlogmcp.audit.auditlog;

import io.micronaut.core.annotation.Nullable;

/**
 * A record the consumer cannot store as an audit row, noted by position: {@code reason} is {@code unreadable} (not a
 * {@code ToolCallEvent} in JSON) or {@code incomplete} (a required field missing or malformed). Its content is kept
 * only as size and SHA-256, never as text: a malformed record might carry raw arguments.
 */
record DeadLetter(String topic, int partition, long offset, @Nullable String key, String reason, int payloadBytes,
                  @Nullable String payloadSha256) implements DecodedRecord {
}
