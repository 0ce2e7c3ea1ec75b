package com.backlogmcp.mcp.discovery;

import com.backlogmcp.contracts.vocabulary.Scope;
import com.backlogmcp.mcp.config.EdgeConfiguration;
import com.backlogmcp.mcp.endpoint.Endpoint;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 9728 protected resource metadata of one project's or workspace's MCP endpoint, at the well-known URI formed by inserting
 * {@code /.well-known/oauth-protected-resource} before the endpoint's path (§3.1). {@code resource} is the
 * endpoint URL exactly as configured (MCP_PUBLIC_URL), the value tokens must carry as {@code aud}.
 */
@Controller("/.well-known/oauth-protected-resource")
final class ProtectedResourceMetadataController {

    private final EdgeConfiguration config;

    ProtectedResourceMetadataController(EdgeConfiguration config) {
        this.config = config;
    }

    @Get(uri = "/p/{projectId}/mcp", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> metadata(@PathVariable String projectId) {
        return metadata(Endpoint.project(projectId));
    }

    /** A workspace's endpoint: its own resource, so its tokens are bound to it and to no project's endpoint. */
    @Get(uri = "/w/{workspaceId}/mcp", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> workspaceMetadata(@PathVariable String workspaceId) {
        return metadata(Endpoint.workspace(workspaceId));
    }

    private HttpResponse<?> metadata(Endpoint endpoint) {
        if (!Endpoint.wellFormed(endpoint.id())) {
            return HttpResponse.notFound(Map.of("error", "not_found"));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("resource", config.endpointUrl(endpoint));
        m.put("authorization_servers", List.of(config.authIssuer()));
        m.put("scopes_supported", Scope.allValues());
        m.put("bearer_methods_supported", List.of("header"));
        m.put("resource_name", "Backlog MCP (" + endpoint.describe() + ")");
        return HttpResponse.status(HttpStatus.OK).header("Cache-Control", "public, max-age=300").body(m);
    }
}
