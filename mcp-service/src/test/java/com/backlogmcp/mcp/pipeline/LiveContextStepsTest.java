package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.internal.Catalog;
import com.backlogmcp.contracts.vocabulary.ErrorType;
import com.backlogmcp.mcp.catalog.ToolVisibility;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Steps 5 and 6 decide on the context the tool's answer carries, and each alone stops a call; tools/list shows
 * exactly what they (and step 4) let through, because both use the same named rules.
 */
class LiveContextStepsTest {

    private static final Catalog.Tool READ = tool("get_item", "backlog:read", "viewer", false);
    private static final Catalog.Tool WRITE = tool("create_item", "backlog:write", "member", true);

    private static Catalog.Tool tool(String name, String scope, String minRole, boolean write) {
        return new Catalog.Tool(name, name, name, "items", scope, minRole, write, Map.of("type", "object"), null, null);
    }

    private static AuthzContext ctx(String plan, boolean mcpEnabled, boolean suspended, String role) {
        return new AuthzContext("prj_acme", "Acme", "ws_acme", "Acme Inc", plan, mcpEnabled, suspended, role);
    }

    private static McpCall toolCall(Catalog.Tool tool, AuthzContext ctx) {
        McpCall call = new McpCall("prj_acme", "tools/call", "Bearer x", null).forTool(tool, Map.of());
        call.contextFromTool(Optional.ofNullable(ctx));
        return call;
    }

    private static Optional<ErrorType> membership(Catalog.Tool tool, AuthzContext ctx) {
        return new MembershipStep().apply(toolCall(tool, ctx)).map(Denial::errorType);
    }

    private static Optional<ErrorType> plan(Catalog.Tool tool, AuthzContext ctx) {
        return new PlanEntitlementStep().apply(toolCall(tool, ctx)).map(Denial::errorType);
    }

    @Test
    void membershipWhenNotAMemberOrRoleTooLowOrNoProjectThenItAloneRefuses() {
        assertEquals(Optional.of(ErrorType.NOT_A_MEMBER), membership(READ, ctx("business", true, false, null)));
        assertEquals(Optional.of(ErrorType.FORBIDDEN), membership(WRITE, ctx("business", true, false, "viewer")));
        assertEquals(Optional.of(ErrorType.NOT_FOUND), membership(READ, null));
        assertEquals(Optional.empty(), membership(WRITE, ctx("business", true, false, "member")));
        assertTrue(new MembershipStep().decidesOnLiveContext());
    }

    @Test
    void planWhenSuspendedOrAddOnOffOrReadOnlyPlanThenItAloneRefuses() {
        assertEquals(Optional.of(ErrorType.WORKSPACE_SUSPENDED), plan(READ, ctx("business", true, true, "owner")));
        assertEquals(Optional.of(ErrorType.MCP_DISABLED), plan(READ, ctx("business", false, false, "owner")));
        assertEquals(Optional.of(ErrorType.PLAN_READ_ONLY), plan(WRITE, ctx("free", true, false, "owner")));
        assertEquals(Optional.of(ErrorType.PLAN_READ_ONLY), plan(WRITE, ctx("no-such-plan", true, false, "owner")));
        assertEquals(Optional.empty(), plan(READ, ctx("free", true, false, "owner")));
        assertTrue(new PlanEntitlementStep().decidesOnLiveContext());
    }

    @Test
    void visibilityWhenComparedWithStepsFourToSixThenTheyAgreeOnEveryCase() {
        for (Catalog.Tool tool : new Catalog.Tool[]{READ, WRITE}) {
            for (String plan : new String[]{"free", "business"}) {
                for (String role : new String[]{null, "viewer", "member", "owner"}) {
                    for (Set<String> scopes : java.util.List.of(Set.<String>of(), Set.of("backlog:read"), Set.of("backlog:read", "backlog:write"))) {
                        AuthzContext c = ctx(plan, true, false, role);
                        boolean stepsAllow = scopes.contains(tool.scope()) && membership(tool, c).isEmpty() && plan(tool, c).isEmpty();
                        assertEquals(stepsAllow, ToolVisibility.callable(tool, scopes, c), tool.name() + " " + plan + " " + role + " " + scopes);
                    }
                }
            }
        }
        assertFalse(ToolVisibility.callable(WRITE, Set.of("backlog:write"), ctx("free", true, false, "owner")));
    }
}
