package com.backlogmcp.mcp.protocol;

import com.backlogmcp.contracts.vocabulary.ErrorType;
import com.backlogmcp.mcp.neighbour.BacklogClient;
import com.backlogmcp.mcp.neighbour.UpstreamUnavailableException;
import com.backlogmcp.mcp.pipeline.Denial;
import com.backlogmcp.mcp.pipeline.McpCall;

import java.util.Map;

/** How backlog-service's refusal of a forwarded read (resources, prompts, completions) reaches the agent. */
final class Forwarding {

    private Forwarding() {
    }

    /**
     * 404 → {@code notFoundCode} (the id is not in this project: backlog-service binds it, step 7); 400/422 → bad
     * params; 403 → a FORBIDDEN refusal; anything else is a neighbour failure.
     */
    static McpReply refusal(McpRequest request, McpCall call, BacklogClient.Forwarded answer, int notFoundCode,
                            String what, ProjectAccess access) {
        return switch (answer.status()) {
            case 404 -> McpReply.ok(JsonRpc.error(request.id(), notFoundCode, what + " not found", Map.of("error_type", ErrorType.NOT_FOUND.name(),
                    "hint", ErrorType.NOT_FOUND.hint())));
            case 400, 422 -> McpReply.ok(JsonRpc.error(request.id(), JsonRpc.INVALID_PARAMS, "Invalid params for " + what,
                    Map.of("error_type", ErrorType.VALIDATION_ERROR.name(), "hint", ErrorType.VALIDATION_ERROR.hint())));
            case 403 -> access.render(request, call, Denial.of(ErrorType.FORBIDDEN, 200, "Not allowed: " + what));
            default -> throw new UpstreamUnavailableException("backlog-service answered " + answer.status());
        };
    }
}
