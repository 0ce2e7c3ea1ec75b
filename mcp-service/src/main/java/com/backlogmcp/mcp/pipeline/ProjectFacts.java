package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.contracts.internal.AuthzContext;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the edge remembers about a project between calls, learnt from every live context it sees: the workspace
 * it belongs to (a project never moves between workspaces, so this never goes stale) and the workspace's plan,
 * which only sizes the daily quota the ledger applies and is refreshed by every tool call's answer. Membership,
 * role, suspension and the add-on are never taken from here: steps 5–6 decide on the live context of the call.
 */
@Singleton
public class ProjectFacts {

    /** The facts of one project. */
    public record Facts(String workspaceId, String plan) {
    }

    // Bounded by the number of projects this replica serves; a few dozen bytes each.
    private final Map<String, Facts> byProject = new ConcurrentHashMap<>();

    public void learn(AuthzContext ctx) {
        if (ctx.projectId() != null && ctx.workspaceId() != null) {
            byProject.put(ctx.projectId(), new Facts(ctx.workspaceId(), ctx.plan()));
        }
    }

    public Optional<Facts> of(String projectId) {
        return Optional.ofNullable(byProject.get(projectId));
    }

    /** The workspace of {@code projectId} if known. */
    @Nullable
    public String workspaceOf(String projectId) {
        Facts f = byProject.get(projectId);
        return f == null ? null : f.workspaceId();
    }
}
