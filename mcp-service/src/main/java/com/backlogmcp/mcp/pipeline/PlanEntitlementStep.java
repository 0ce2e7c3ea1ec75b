package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.vocabulary.ErrorType;
import com.backlogmcp.contracts.vocabulary.Plan;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Step 6: the workspace may use MCP at all (not suspended, add-on on) and its plan allows write tools when the
 * tool writes. Read from the same live context as step 5.
 */
@Singleton
final class PlanEntitlementStep extends OrderedStep {

    static final int ORDER = 6;

    PlanEntitlementStep() {
        super(ORDER, PROJECT_DATA);
    }

    @Override
    public Optional<Denial> apply(McpCall call) {
        AuthzContext ctx = call.authz().orElseThrow();
        if (ctx.suspended()) {
            return Optional.of(Denial.of(ErrorType.WORKSPACE_SUSPENDED, 423, "Workspace " + ctx.workspaceName() + " is suspended."));
        }
        if (!ctx.mcpEnabled()) {
            return Optional.of(Denial.of(ErrorType.MCP_DISABLED, 403, "The MCP add-on is off for workspace " + ctx.workspaceName() + "."));
        }
        if (call.isToolCall() && call.tool().write()) {
            // An unknown plan name is treated as the most restrictive one.
            Plan plan = Plan.fromWire(ctx.plan()).orElse(Plan.FREE);
            if (!plan.allowsWrites()) {
                return Optional.of(Denial.of(ErrorType.PLAN_READ_ONLY, 200,
                        "The " + plan.wire() + " plan allows read tools only; " + call.tool().name() + " writes."));
            }
        }
        return Optional.empty();
    }
}
