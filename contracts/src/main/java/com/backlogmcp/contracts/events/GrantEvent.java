package com.backlogmcp.contracts.events;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * A change of an OAuth grant or an API key, keyed by grantId (or keyId) on {@link Topics#GRANTS}.
 * {@code type} is one of {@link #GRANT_CREATED}, {@link #GRANT_REVOKED}, {@link #KEY_CREATED}, {@link #KEY_REVOKED}.
 * {@code reason} says why a revocation happened ({@code user}, {@code refresh_reuse}, {@code code_replay}, {@code admin}).
 */
@Serdeable
public record GrantEvent(
        String eventId,
        Instant at,
        String type,
        @Nullable String grantId,
        @Nullable String keyId,
        String userId,
        @Nullable String projectId,
        @Nullable String workspaceId,
        @Nullable String clientId,
        @Nullable String reason) {

    public static final String GRANT_CREATED = "grant.created";
    public static final String GRANT_REVOKED = "grant.revoked";
    public static final String KEY_CREATED = "key.created";
    public static final String KEY_REVOKED = "key.revoked";

    /** The credential id this event is about: the grant id, else the key id. */
    public String credentialId() {
        return grantId != null ? grantId : keyId;
    }

    public boolean isRevocation() {
        return GRANT_REVOKED.equals(type) || KEY_REVOKED.equals(type);
    }
}
