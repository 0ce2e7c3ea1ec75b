package com.backlogmcp.mcp.session;

import com.backlogmcp.mcp.credential.Principal;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Sessions of the 2025 protocol eras. {@code initialize} opens one ({@code Mcp-Session-Id} on the answer); later
 * requests may present it and must then present it with the same credential — a grant's refreshed access tokens
 * count as the same credential, another grant or key does not — or get 404, as for an expired, ended or forged id;
 * {@code DELETE} ends it. Requests without the header are served as before (the edge needs no session to answer
 * them), so clients that never kept one keep working. A session belongs to one endpoint, named by its
 * {@code Endpoint.key()}: a session opened on a workspace's endpoint is unknown at its projects' and the reverse.
 */
@Singleton
public class Sessions {

    private final SessionIds ids;
    private final EndedSessions ended;

    public Sessions(SessionIds ids, EndedSessions ended) {
        this.ids = ids;
        this.ended = ended;
    }

    public String open(Principal principal, String endpointKey, String protocolVersion) {
        return ids.issue(principal.credentialId(), endpointKey, protocolVersion);
    }

    /** The live session {@code id} names for this credential and endpoint, if any. */
    public Optional<SessionIds.Session> find(String id, Principal principal, String endpointKey) {
        return ids.verify(id, principal.credentialId(), endpointKey).filter(s -> !ended.isEnded(s));
    }

    /** Ends the session; false when there is no live session of this credential by that id. */
    public boolean end(String id, Principal principal, String endpointKey) {
        Optional<SessionIds.Session> session = find(id, principal, endpointKey);
        session.ifPresent(ended::end);
        return session.isPresent();
    }
}
