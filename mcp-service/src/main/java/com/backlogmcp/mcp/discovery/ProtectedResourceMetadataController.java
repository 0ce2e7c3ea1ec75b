package com.backlogmcp.mcp.discovery;

import com.backlogmcp.contracts.vocabulary.Scope;
import com.backlogmcp.mcp.config.EdgeConfiguration;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * RFC 9728 protected resource metadata of one project's MCP endpoint, at the well-known URI formed by inserting
 * {@code /.well-known/oauth-protected-resource} before the endpoint's path (§3.1). {@code resource} is the
 * endpoint URL exactly as configured (MCP_PUBLIC_URL), the value tokens must carry as {@code aud}.
 */
@Controller("/.well-known/oauth-protected-resource")
final class ProtectedResourceMetadataController {

    private static final Pattern PROJECT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final EdgeConfiguration config;

    ProtectedResourceMetadataController(EdgeConfiguration config) {
        this.config = config;
    }

    @Get(uri = "/p/{projectId}/mcp", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> metadata(@PathVariable String projectId) {
        if (!PROJECT_ID.matcher(projectId).matches()) {
            return HttpResponse.notFound(Map.of("error", "not_found"));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("resource", config.endpointUrl(projectId));
        m.put("authorization_servers", List.of(config.authIssuer()));
        m.put("scopes_supported", Scope.allValues());
        m.put("bearer_methods_supported", List.of("header"));
        m.put("resource_name", "Backlog MCP (project " + projectId + ")");
        return HttpResponse.status(HttpStatus.OK).header("Cache-Control", "public, max-age=300").body(m);
    }
}
