package com.backlogmcp.mcp.protocol;

import com.backlogmcp.contracts.vocabulary.ErrorType;
import com.backlogmcp.mcp.neighbour.BacklogClient;
import com.backlogmcp.mcp.neighbour.UpstreamUnavailableException;
import com.backlogmcp.mcp.pipeline.Denial;
import com.backlogmcp.mcp.pipeline.McpCall;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How backlog-service's refusal of a forwarded read (resources, prompts, completions) reaches the agent. backlog
 * answers a status plus {@code {error, error_type, message, hint}}; the edge keeps its error_type and hint.
 */
final class Forwarding {

    private Forwarding() {
    }

    /**
     * 404 → {@code notFoundCode} (the id is not in this project: backlog-service binds it, step 7); 400/422 → bad
     * params; 403/409/423 → a refusal rendered like the pipeline's; anything else is a neighbour failure.
     */
    static McpReply refusal(McpRequest request, McpCall call, BacklogClient.Forwarded answer, int notFoundCode,
                            String what, ProjectCallAuthorizer access) {
        ErrorType reported = errorType(answer.error()).orElse(null);
        String message = answer.error().get("message") instanceof String m ? m : what;
        McpReply reply = switch (answer.status()) {
            case 404 -> McpReply.ok(JsonRpc.error(request.id(), notFoundCode, message, data(ErrorType.NOT_FOUND, answer)));
            case 400, 422 -> McpReply.ok(JsonRpc.error(request.id(), JsonRpc.INVALID_PARAMS, message, data(ErrorType.VALIDATION_ERROR, answer)));
            case 409 -> McpReply.ok(JsonRpc.error(request.id(), JsonRpc.REFUSED, message, data(ErrorType.CONFLICT, answer)));
            case 423 -> access.render(request, call, Denial.of(ErrorType.WORKSPACE_SUSPENDED, 423, message));
            case 403 -> access.render(request, call, Denial.of(reported != null ? reported : ErrorType.FORBIDDEN, 200, message));
            default -> throw new UpstreamUnavailableException("backlog-service answered " + answer.status());
        };
        return access.withRateHeaders(reply, call);
    }

    private static Map<String, Object> data(ErrorType fallback, BacklogClient.Forwarded answer) {
        ErrorType type = errorType(answer.error()).orElse(fallback);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("error_type", type.name());
        data.put("hint", answer.error().get("hint") instanceof String h ? h : type.hint());
        return data;
    }

    private static Optional<ErrorType> errorType(Map<String, Object> error) {
        Object t = error.get("error_type");
        return Arrays.stream(ErrorType.values()).filter(e -> e.name().equals(t)).findFirst();
    }
}
