package com.backlogmcp.mcp.catalog;

import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.internal.Catalog;
import io.micronaut.core.annotation.Nullable;

import java.util.Set;

/**
 * Whether a tool shows in tools/list for this credential right now: exactly the {@link AccessRules} predicates
 * steps 4–6 decide a tools/call with (scope held, role high enough, plan allows writes), then the endpoint's own
 * narrowing: toolsets and the read-only switch. A tool that would be refused is never listed. (A suspended
 * workspace or an add-on switched off refuses tools/list itself, in steps 5–6, before anything is listed.)
 */
public final class ToolVisibility {

    private ToolVisibility() {
    }

    public static boolean callable(Catalog.Tool tool, Set<String> scopes, AuthzContext ctx) {
        return AccessRules.holdsScope(scopes, tool.scope())
                && AccessRules.roleSuffices(ctx, tool)
                && AccessRules.planAllows(ctx, tool);
    }

    /** The endpoint's view: {@code ?toolsets=} (null = all) and the read-only switch. */
    public static boolean inView(Catalog.Tool tool, @Nullable Set<String> toolsets, boolean readOnly) {
        return (toolsets == null || toolsets.contains(tool.toolset())) && !(readOnly && tool.write());
    }
}
