package com.backlogmcp.mcp.protocol;

import com.backlogmcp.contracts.vocabulary.ErrorType;
import com.backlogmcp.contracts.vocabulary.Scope;
import com.backlogmcp.mcp.config.EdgeConfiguration;
import com.backlogmcp.mcp.credential.Principal;
import com.backlogmcp.mcp.endpoint.Endpoint;
import com.backlogmcp.mcp.pipeline.Denial;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The one place a {@link Denial} becomes a response:
 * steps 1–3 → 401 with a {@code WWW-Authenticate} challenge pointing at the RFC 9728 metadata;
 * a missing scope → 403 {@code insufficient_scope} step-up challenge naming it;
 * add-on off / suspended → 403 / 423 with a JSON-RPC error body; rate → 429 with Retry-After;
 * membership, role, plan, quota, upstream → JSON-RPC error (HTTP 200); a foreign id, or a workspace endpoint's
 * missing or unknown {@code projectId} → a tool result with isError whose error object is its text block
 * ({@link ToolResults}). The challenges name the metadata of the endpoint that was called, project or workspace.
 * Every JSON-RPC error carries {@code data.error_type} and {@code data.hint}.
 */
@Singleton
public class DenialRenderer {

    private final EdgeConfiguration config;
    private final ToolResults toolResults;

    public DenialRenderer(EdgeConfiguration config, ToolResults toolResults) {
        this.config = config;
        this.toolResults = toolResults;
    }

    public McpReply render(Denial denial, @Nullable Object id, Endpoint endpoint, @Nullable Principal principal) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("error_type", denial.errorType().name());
        data.put("hint", denial.hint());
        denial.details().forEach((k, v) -> {
            if (!"challenge_error".equals(k)) {
                data.put(k, v);
            }
        });
        Map<String, String> headers = new LinkedHashMap<>(denial.headers());
        if (denial.errorType() == ErrorType.UNAUTHENTICATED) {
            headers.put("WWW-Authenticate", unauthorizedChallenge(endpoint, (String) denial.details().get("challenge_error"), denial.message()));
        } else if (denial.errorType() == ErrorType.INSUFFICIENT_SCOPE) {
            headers.put("WWW-Authenticate", stepUpChallenge(endpoint, (String) denial.details().get("required_scope"), principal));
        } else if ((denial.errorType() == ErrorType.NOT_FOUND || denial.errorType() == ErrorType.VALIDATION_ERROR)
                && denial.status() == 200) {
            // A record the arguments name that is not in this project (or an argument the workspace endpoint needs)
            // is the tool's own failure, so it is a tool result (isError), not a protocol error, exactly as
            // backlog-service answers a missing id or a bad argument.
            Map<String, Object> structured = new LinkedHashMap<>();
            structured.put("error_type", denial.errorType().name());
            structured.put("message", denial.message());
            structured.put("hint", denial.hint());
            denial.details().forEach(structured::putIfAbsent);
            return new McpReply(200, headers, JsonRpc.result(id, toolResults.toolResult(structured, true)));
        }
        return new McpReply(denial.status(), headers, JsonRpc.error(id, JsonRpc.REFUSED, denial.message(), data));
    }

    /** {@code Bearer resource_metadata="…", scope="…"} (RFC 9728 §5.1, RFC 6750 §3). */
    public String unauthorizedChallenge(Endpoint endpoint, @Nullable String error, @Nullable String description) {
        StringBuilder b = new StringBuilder("Bearer resource_metadata=\"").append(config.metadataUrl(endpoint)).append('"')
                .append(", scope=\"").append(String.join(" ", Scope.allValues())).append('"');
        if (error != null) {
            b.append(", error=\"").append(error).append('"');
            if (description != null) {
                b.append(", error_description=\"").append(description.replace("\"", "'")).append('"');
            }
        }
        return b.toString();
    }

    /** Step-up: the scopes already held plus the missing one, so re-authorizing does not lose abilities. */
    private String stepUpChallenge(Endpoint endpoint, String required, @Nullable Principal principal) {
        Set<String> scopes = new LinkedHashSet<>();
        if (principal != null) {
            scopes.addAll(principal.scopes());
        }
        scopes.add(required);
        return "Bearer error=\"insufficient_scope\", scope=\"" + String.join(" ", scopes) + "\", resource_metadata=\""
                + config.metadataUrl(endpoint) + "\", error_description=\"This call needs the scope " + required + "\"";
    }
}
