package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.contracts.vocabulary.ErrorType;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why a call was stopped. {@code status} is the HTTP status of the refusal (401, 403, 404, 423, 429, or 200 for a JSON-RPC error); {@code details} go into
 * the JSON-RPC error's {@code data} (quota numbers, the missing scope) and {@code headers} onto the HTTP response
 * (Retry-After, X-RateLimit-*). {@link com.backlogmcp.mcp.protocol.DenialRenderer} is the one place that turns a denial into a response.
 */
public record Denial(ErrorType errorType, int status, String hint, String message,
                     Map<String, Object> details, Map<String, String> headers) {

    public static Denial of(ErrorType type, int status, String message) {
        return new Denial(type, status, type.hint(), message, Map.of(), Map.of());
    }

    public static Denial unauthenticated(String message, boolean tokenPresented) {
        return new Denial(ErrorType.UNAUTHENTICATED, 401, ErrorType.UNAUTHENTICATED.hint(), message,
                tokenPresented ? Map.of("challenge_error", "invalid_token") : Map.of(), Map.of());
    }

    public static Denial insufficientScope(String scope) {
        return new Denial(ErrorType.INSUFFICIENT_SCOPE, 403,
                "Ask the user to re-authorize this client with the scope " + scope + ".",
                "This call needs the scope " + scope, Map.of("required_scope", scope), Map.of());
    }

    public static Denial upstreamUnavailable(String message) {
        return of(ErrorType.UPSTREAM_UNAVAILABLE, 200, message);
    }

    /** The same refusal with a more precise next action than its error type's default hint. */
    public Denial withHint(String nextAction) {
        return new Denial(errorType, status, nextAction, message, details, headers);
    }

    public Denial withDetails(Map<String, Object> more) {
        Map<String, Object> merged = new LinkedHashMap<>(details);
        merged.putAll(more);
        return new Denial(errorType, status, hint, message, merged, headers);
    }

    public Denial withHeaders(Map<String, String> more) {
        Map<String, String> merged = new LinkedHashMap<>(headers);
        merged.putAll(more);
        return new Denial(errorType, status, hint, message, details, merged);
    }
}
