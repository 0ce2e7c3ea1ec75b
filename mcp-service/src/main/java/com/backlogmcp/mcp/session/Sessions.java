package com.backlogmcp.mcp.session;

import com.backlogmcp.mcp.credential.Principal;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Sessions of the 2025 protocol eras. {@code initialize} opens one ({@code Mcp-Session-Id} on the answer); later
 * requests may present it and must then present it with the same credential — a grant's refreshed access tokens
 * count as the same credential, another grant or key does not — or get 404, as for an expired, ended or forged id;
 * {@code DELETE} ends it. Requests without the header are served as before (the edge needs no session to answer
 * them), so clients that never kept one keep working.
 */
@Singleton
public class Sessions {

    private final SessionIds ids;
    private final EndedSessions ended;

    public Sessions(SessionIds ids, EndedSessions ended) {
        this.ids = ids;
        this.ended = ended;
    }

    public String open(Principal principal, String projectId, String protocolVersion) {
        return ids.issue(principal.credentialId(), projectId, protocolVersion);
    }

    /** The live session {@code id} names for this credential and project, if any. */
    public Optional<SessionIds.Session> find(String id, Principal principal, String projectId) {
        return ids.verify(id, principal.credentialId(), projectId).filter(s -> !ended.isEnded(s));
    }

    /** Ends the session; false when there is no live session of this credential by that id. */
    public boolean end(String id, Principal principal, String projectId) {
        Optional<SessionIds.Session> session = find(id, principal, projectId);
        session.ifPresent(ended::end);
        return session.isPresent();
    }
}
