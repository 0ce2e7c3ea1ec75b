package com.backlogmcp.auth.grant;

import com.backlogmcp.auth.events.GrantEvents;
import jakarta.inject.Singleton;

/** Revokes a grant (and with it every refresh token of it) and tells the edges. Reasons follow {@code GrantEvent}. */
@Singleton
public class GrantRevocations {

    public static final String USER = "user";
    public static final String REFRESH_REUSE = "refresh_reuse";
    public static final String CODE_REPLAY = "code_replay";
    public static final String ADMIN = "admin";

    private final GrantStore grants;
    private final GrantEvents events;

    GrantRevocations(GrantStore grants, GrantEvents events) {
        this.grants = grants;
        this.events = events;
    }

    /** Answers whether this call revoked it (false when unknown or already revoked). */
    public boolean revoke(String grantId, String reason) {
        if (grantId == null || !grants.revoke(grantId, reason)) {
            return false;
        }
        grants.find(grantId).ifPresent(g -> events.grantRevoked(g, reason));
        return true;
    }
}
