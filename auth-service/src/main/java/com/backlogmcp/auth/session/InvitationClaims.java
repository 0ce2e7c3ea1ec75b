package com.backlogmcp.auth.session;

import com.backlogmcp.auth.backlog.BacklogClient;
import com.backlogmcp.auth.backlog.InvitationsClient;
import com.backlogmcp.auth.user.User;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * At every sign-in, the open invitations of the user's email become memberships. A sign-in never fails because
 * backlog-service is away: the claim is simply made again at the next sign-in (invitations wait until they expire).
 */
@Singleton
public class InvitationClaims {

    private static final Logger LOG = LoggerFactory.getLogger(InvitationClaims.class);

    private final InvitationsClient invitations;

    InvitationClaims(InvitationsClient invitations) {
        this.invitations = invitations;
    }

    public List<String> claimFor(User user) {
        try {
            List<String> joined = invitations.claim(user.id(), user.email(), user.displayName());
            if (!joined.isEmpty()) {
                LOG.info("user {} joined {} project(s) by invitation", user.id(), joined.size());
            }
            return joined;
        } catch (BacklogClient.Unavailable e) {
            LOG.warn("invitations of user {} not claimed, retried at the next sign-in: {}", user.id(), e.getMessage());
            return List.of();
        }
    }
}
