package com.backlogmcp.contracts.events;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * Something in a project changed, keyed by projectId on {@link Topics#BACKLOG_CHANGES}; published after commit
 * through a transactional outbox. {@code kind}: {@link #RESOURCES_CHANGED}, {@link #MEMBERSHIP_CHANGED},
 * {@link #WORKSPACE_CHANGED}, {@link #INVITATION_CREATED} or {@link #INVITATION_ACCEPTED}. {@code uris} are MCP resource URIs ({@code backlog://items/itm_…}).
 */
@Serdeable
public record BacklogChangeEvent(
        String eventId,
        Instant at,
        String kind,
        @Nullable String projectId,
        String workspaceId,
        List<String> uris,
        @Nullable String userId) {

    public static final String RESOURCES_CHANGED = "resources.changed";
    public static final String MEMBERSHIP_CHANGED = "membership.changed";
    public static final String WORKSPACE_CHANGED = "workspace.changed";
    /** Someone was invited by email (no account yet); {@code uris} holds {@code backlog://invitations/{id}}. */
    public static final String INVITATION_CREATED = "invitation.created";
    /** An invitation became a membership of {@code userId} when that person signed in. */
    public static final String INVITATION_ACCEPTED = "invitation.accepted";
}
