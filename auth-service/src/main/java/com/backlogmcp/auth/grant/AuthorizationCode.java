package com.backlogmcp.auth.grant;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/** A stored authorization code (the code itself is only held as its hash). */
public record AuthorizationCode(String codeHash, String clientId, String userId, String redirectUri, String codeChallenge,
                                String resource, String projectId, @Nullable String workspaceId, String scope,
                                Instant expiresAt, @Nullable Instant usedAt, @Nullable String grantId) {
}
