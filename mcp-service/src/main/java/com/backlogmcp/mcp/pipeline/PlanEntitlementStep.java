package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.vocabulary.ErrorType;
import com.backlogmcp.mcp.catalog.AccessRules;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Step 6: the workspace may use MCP at all (not suspended, add-on on) and its plan allows write tools when the
 * tool writes. Decided on the same live context as step 5, so suspending a workspace or switching its add-on off
 * stops the next call.
 */
@Singleton
final class PlanEntitlementStep extends OrderedStep {

    static final int ORDER = 6;

    PlanEntitlementStep() {
        super(ORDER, PROJECT_DATA);
    }

    @Override
    public boolean decidesOnLiveContext() {
        return true;
    }

    @Override
    public Optional<Denial> apply(McpCall call) {
        AuthzContext ctx = call.authz().orElseThrow();
        if (AccessRules.suspended(ctx)) {
            return Optional.of(Denial.of(ErrorType.WORKSPACE_SUSPENDED, 423, "Workspace " + ctx.workspaceName() + " is suspended."));
        }
        if (!AccessRules.mcpAddOnOn(ctx)) {
            return Optional.of(Denial.of(ErrorType.MCP_DISABLED, 403, "The MCP add-on is off for workspace " + ctx.workspaceName() + "."));
        }
        if (call.isToolCall() && !AccessRules.planAllows(ctx, call.tool())) {
            return Optional.of(Denial.of(ErrorType.PLAN_READ_ONLY, 200,
                    "The " + AccessRules.plan(ctx).wire() + " plan allows read tools only; " + call.tool().name() + " writes."));
        }
        return Optional.empty();
    }
}
