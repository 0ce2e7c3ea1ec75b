package com.backlogmcp.auth.grant;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/** What a user approved for one client on one MCP endpoint ({@code resource}); access and refresh tokens hang off it. */
public record Grant(String id, String userId, String clientId, String projectId, @Nullable String workspaceId,
                    String resource, String scope, String redirectUri, Instant createdAt,
                    @Nullable Instant revokedAt, @Nullable String revokeReason) {

    public boolean active() {
        return revokedAt == null;
    }
}
