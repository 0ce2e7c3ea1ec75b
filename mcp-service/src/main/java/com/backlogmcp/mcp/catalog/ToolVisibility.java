package com.backlogmcp.mcp.catalog;

import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.internal.Catalog;
import com.backlogmcp.contracts.vocabulary.Plan;
import com.backlogmcp.contracts.vocabulary.Role;
import io.micronaut.core.annotation.Nullable;

import java.util.Set;

/**
 * Whether a tool shows in tools/list for this credential right now. The same predicates as the pipeline's
 * steps 4–6, applied in this order: scope held, role high enough, plan allows writes; then the endpoint's own
 * narrowing: toolsets and the read-only switch. A tool that would be refused is never listed.
 */
public final class ToolVisibility {

    private ToolVisibility() {
    }

    public static boolean callable(Catalog.Tool tool, Set<String> scopes, AuthzContext ctx) {
        Role role = Role.fromWire(ctx.role()).orElse(null);
        Role minimum = Role.fromWire(tool.minRole()).orElse(Role.OWNER);
        return scopes.contains(tool.scope())
                && role != null && role.atLeast(minimum)
                && (!tool.write() || Plan.fromWire(ctx.plan()).orElse(Plan.FREE).allowsWrites());
    }

    /** The endpoint's view: {@code ?toolsets=} (null = all) and the read-only switch. */
    public static boolean inView(Catalog.Tool tool, @Nullable Set<String> toolsets, boolean readOnly) {
        return (toolsets == null || toolsets.contains(tool.toolset())) && !(readOnly && tool.write());
    }
}
