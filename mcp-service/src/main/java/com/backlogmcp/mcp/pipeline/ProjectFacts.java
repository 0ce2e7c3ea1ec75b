package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.contracts.internal.AuthzContext;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the edge remembers about projects and workspaces between calls, learnt from every live context it sees: the
 * workspace a project belongs to (a project never moves between workspaces, so this never goes stale) and the
 * workspace's plan, which only sizes the daily quota the ledger applies (a project's, or for calls across a
 * workspace the workspace's own) and is refreshed by every tool call's answer. Membership, role, suspension and the
 * add-on are never taken from here: steps 5–6 decide on the live context of the call.
 */
@Singleton
public class ProjectFacts {

    /** The facts of one project. */
    public record Facts(String workspaceId, String plan) {
    }

    // Bounded by the number of projects this replica serves; a few dozen bytes each.
    private final Map<String, Facts> byProject = new ConcurrentHashMap<>();
    // Bounded by the number of workspaces this replica serves.
    private final Map<String, String> planByWorkspace = new ConcurrentHashMap<>();

    /** Learns from a project's context, or from a workspace's (projectId null: a call across the workspace). */
    public void learn(AuthzContext ctx) {
        if (ctx.workspaceId() == null) {
            return;
        }
        if (ctx.projectId() != null) {
            byProject.put(ctx.projectId(), new Facts(ctx.workspaceId(), ctx.plan()));
        }
        if (ctx.plan() != null) {
            planByWorkspace.put(ctx.workspaceId(), ctx.plan());
        }
    }

    public Optional<Facts> of(String projectId) {
        return Optional.ofNullable(byProject.get(projectId));
    }

    /** The plan of {@code workspaceId} as the last context seen in it said. */
    public Optional<String> planOfWorkspace(String workspaceId) {
        return Optional.ofNullable(planByWorkspace.get(workspaceId));
    }

    /** The workspace of {@code projectId} if known. */
    @Nullable
    public String workspaceOf(String projectId) {
        Facts f = byProject.get(projectId);
        return f == null ? null : f.workspaceId();
    }
}
