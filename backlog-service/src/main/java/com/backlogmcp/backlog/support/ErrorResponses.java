package com.backlogmcp.backlog.support;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * For the internal endpoints that are not tool calls (resources, prompts, completions): a refusal becomes an
 * HTTP status plus {@code {error, error_type, message, hint}}, so the edge can map it to a JSON-RPC error.
 */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    public static HttpResponse<?> of(ToolFailure f) {
        HttpStatus status = switch (f.type()) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case VALIDATION_ERROR -> HttpStatus.BAD_REQUEST;
            case CONFLICT -> HttpStatus.CONFLICT;
            case WORKSPACE_SUSPENDED -> HttpStatus.LOCKED;
            default -> HttpStatus.FORBIDDEN;
        };
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", f.type().name().toLowerCase(java.util.Locale.ROOT));
        body.put("error_type", f.type().name());
        body.put("message", f.getMessage());
        body.put("hint", f.hint());
        return HttpResponse.status(status).body(body);
    }
}
