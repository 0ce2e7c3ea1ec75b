package com.backlogmcp.auth.apikey;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/** An API key as listed (never the secret): bound to its user, to a workspace or one project, and to scopes. */
@Serdeable
public record ApiKey(String id, String name, String hint, String userId, @Nullable String workspaceId,
                     @Nullable String projectId, String scope, Instant createdAt, @Nullable Instant revokedAt) {
}
