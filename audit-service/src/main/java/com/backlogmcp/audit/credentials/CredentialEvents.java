package com.backlogmcp.audit.credentials;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** Answer of {@code GET /internal/audit-log/credential-events}, newest first. */
@Serdeable
public record CredentialEvents(List<CredentialEvent> events) {
}
