package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.internal.ToolCallRequest;
import com.backlogmcp.contracts.vocabulary.ErrorType;
import com.backlogmcp.mcp.catalog.AccessRules;
import com.backlogmcp.mcp.neighbour.BacklogClient;
import com.backlogmcp.mcp.neighbour.ToolAnswer;
import jakarta.inject.Singleton;

import java.util.Arrays;
import java.util.Optional;

/**
 * Step 9: run the tool in backlog-service as the acting user, in the project the call touches (on a workspace
 * endpoint with the workspace named, so backlog-service binds the project to it, or runs a call across it). This is
 * the tool call's one round trip: the request carries what the edge's catalog says the tool needs (least role,
 * whether it writes), and backlog-service re-checks membership, role, suspension, the add-on and the plan in the
 * tool's own transaction, runs nothing when one fails, and answers with the context it decided on — the project's,
 * or for a call across a workspace the workspace's access (its flags and the user's projects with their roles).
 * Steps 5–6 then decide on that context (see {@link AuthorizationPipeline}). The audit event is published by the
 * pipeline once the call is over, into the slot step 8 reserved.
 */
@Singleton
final class ForwardStep extends OrderedStep {

    static final int ORDER = 9;

    private final BacklogClient backlog;
    private final ProjectFacts facts;

    ForwardStep(BacklogClient backlog, ProjectFacts facts) {
        super(ORDER, TOOL_CALLS);
        this.backlog = backlog;
        this.facts = facts;
    }

    @Override
    public Optional<Denial> apply(McpCall call) {
        ToolCallRequest.Requirements requires = new ToolCallRequest.Requirements(
                AccessRules.minimumRole(call.tool()).wire(), call.tool().write());
        call.mayHaveRun(true);
        Optional<ToolAnswer> answer = backlog.callTool(call.tool().name(),
                new ToolCallRequest(call.projectId(), call.principal().userId(), call.arguments(), requires,
                        call.principal().actingClient(), call.endpoint().isWorkspace() ? call.endpoint().id() : null));
        if (answer.isEmpty()) {
            call.mayHaveRun(false);
            return Optional.of(Denial.of(ErrorType.NOT_FOUND, 200, "backlog-service does not know the tool " + call.tool().name() + "."));
        }
        ToolAnswer result = answer.get();
        if (result.admitted() == null) {
            // A backlog-service that predates returning its context (for a call across a workspace: one that
            // returns it for project calls only): it ran its own live checks, the edge reads the context
            // separately for steps 5–6 (one more round trip; only during a rolling upgrade).
            call.result(result);
            return Optional.empty();
        }
        Optional<AuthzContext> context = call.acrossWorkspace()
                ? WorkspaceContext.of(Optional.ofNullable(result.workspace()))
                : Optional.ofNullable(result.authz());
        call.contextFromTool(context);
        context.ifPresent(facts::learn);
        if (result.admitted()) {
            call.result(result);
            return Optional.empty();
        }
        // Nothing ran. Steps 5–6 name the reason from the same context; this denial stands only if they do not
        // (backlog-service's own definition of the tool was stricter than the edge's cached catalog).
        call.mayHaveRun(false);
        Object type = result.structuredContent().get("error_type");
        ErrorType refusal = Arrays.stream(ErrorType.values()).filter(t -> t.name().equals(type)).findFirst().orElse(ErrorType.FORBIDDEN);
        Object message = result.structuredContent().get("message");
        int status = switch (refusal) {
            case WORKSPACE_SUSPENDED -> 423;
            case MCP_DISABLED -> 403;
            default -> 200;
        };
        return Optional.of(Denial.of(refusal, status, message == null ? "The call was refused." : message.toString()));
    }
}
