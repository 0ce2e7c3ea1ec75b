package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.contracts.internal.ToolCallRequest;
import com.backlogmcp.contracts.internal.ToolCallResult;
import com.backlogmcp.contracts.vocabulary.ErrorType;
import com.backlogmcp.mcp.neighbour.BacklogClient;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Step 9: run the tool in backlog-service as the acting user, in the project of the URL. The audit event is
 * published by {@link AuthorizationPipeline} once the call is over (whatever its outcome), into the slot
 * step 8 reserved.
 */
@Singleton
final class ForwardStep extends OrderedStep {

    static final int ORDER = 9;

    private final BacklogClient backlog;

    ForwardStep(BacklogClient backlog) {
        super(ORDER, TOOL_CALLS);
        this.backlog = backlog;
    }

    @Override
    public Optional<Denial> apply(McpCall call) {
        Optional<ToolCallResult> result = backlog.callTool(call.tool().name(),
                new ToolCallRequest(call.projectId(), call.principal().userId(), call.arguments(),
                        call.principal().actingClient()));
        if (result.isEmpty()) {
            return Optional.of(Denial.of(ErrorType.NOT_FOUND, 200, "backlog-service does not know the tool " + call.tool().name() + "."));
        }
        call.result(result.get());
        return Optional.empty();
    }
}
