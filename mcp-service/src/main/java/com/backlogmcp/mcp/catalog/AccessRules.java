package com.backlogmcp.mcp.catalog;

import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.internal.Catalog;
import com.backlogmcp.contracts.vocabulary.Plan;
import com.backlogmcp.contracts.vocabulary.Role;
import io.micronaut.core.annotation.Nullable;

import java.util.Optional;
import java.util.Set;

/**
 * The edge's one statement of who may use what, as named predicates. The pipeline's steps 4 (scope), 5
 * (membership and role) and 6 (workspace open, plan allows writes) decide with these, and {@link ToolVisibility}
 * lists in tools/list exactly the tools these let through, so a listed tool is never refused for a reason the
 * listing could have known. backlog-service applies the same rules again in the tool's own transaction.
 */
public final class AccessRules {

    private AccessRules() {
    }

    /** Step 4: the credential holds {@code scope} (a null scope needs none). */
    public static boolean holdsScope(Set<String> scopes, @Nullable String scope) {
        return scope == null || scopes.contains(scope);
    }

    /** Step 5: the user's live role in the project; empty when they are not a member. */
    public static Optional<Role> role(AuthzContext ctx) {
        return Role.fromWire(ctx.role());
    }

    /** The least role {@code tool} needs; an unknown name counts as the highest role (fail closed). */
    public static Role minimumRole(Catalog.Tool tool) {
        return Role.fromWire(tool.minRole()).orElse(Role.OWNER);
    }

    /** Step 5: a member whose role is at least the tool's minimum. */
    public static boolean roleSuffices(AuthzContext ctx, Catalog.Tool tool) {
        return role(ctx).map(r -> r.atLeast(minimumRole(tool))).orElse(false);
    }

    /** Step 6: a suspended workspace uses nothing. */
    public static boolean suspended(AuthzContext ctx) {
        return ctx.suspended();
    }

    /** Step 6: the workspace's MCP add-on is switched on. */
    public static boolean mcpAddOnOn(AuthzContext ctx) {
        return ctx.mcpEnabled();
    }

    /** Step 6: the plan of the workspace; an unknown plan name counts as the most restrictive one. */
    public static Plan plan(AuthzContext ctx) {
        return Plan.fromWire(ctx.plan()).orElse(Plan.FREE);
    }

    /** Step 6: the workspace's plan allows {@code tool} (read tools always, write tools only on a writing plan). */
    public static boolean planAllows(AuthzContext ctx, Catalog.Tool tool) {
        return !tool.write() || plan(ctx).allowsWrites();
    }
}
