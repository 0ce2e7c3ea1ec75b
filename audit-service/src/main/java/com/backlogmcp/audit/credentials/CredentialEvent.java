package com.backlogmcp.audit.credentials;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/** A grant or API key created or revoked ({@code type} as in {@code GrantEvent}), with the reason of a revocation. */
@Serdeable
public record CredentialEvent(String eventId, Instant at, String type, String credentialId, String userId,
                              @Nullable String projectId, @Nullable String workspaceId, @Nullable String clientId,
                              @Nullable String reason) {
}
