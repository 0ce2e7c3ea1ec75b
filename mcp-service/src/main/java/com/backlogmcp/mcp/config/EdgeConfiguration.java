package com.backlogmcp.mcp.config;

import com.backlogmcp.mcp.endpoint.Endpoint;
import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Settings of the edge, each read from an environment variable (defaults in application.yml).
 *
 * @param publicUrl          MCP_PUBLIC_URL: the only source of an endpoint's canonical URL (step 3 audience, RFC 9728
 *                           {@code resource}); never derived from Host or X-Forwarded-*
 * @param authIssuer         AUTH_ISSUER: the {@code iss} of access tokens and the authorization server we advertise
 * @param authUrl            AUTH_URL: where JWKS and introspection are fetched (internal address)
 * @param allowedOrigins     MCP_ALLOWED_ORIGINS: comma-separated browser origins allowed to call the endpoint
 * @param pageSize           MCP_PAGE_SIZE: items per page of every list answer (tools, resources, prompts)
 * @param introspectionTtl   how long an API key's introspection answer is reused (capped at 30 s)
 * @param catalogTtl         how long the catalog is served before a background refresh
 * @param jwksTtl            how long a fetched JWKS is trusted before it is fetched again
 * @param jwksRefetchMinimum the minimum spacing of JWKS fetches triggered by unknown {@code kid}s
 * @param upstreamTimeout    the longest a call to auth's JWKS endpoint may take
 * @param argsHashSecret     ARGS_HASH_SECRET: key of the audit argument hash ({@code ArgsHasher})
 * @param auditBuffer        MCP_AUDIT_BUFFER: audit events that may wait for Kafka before calls are refused
 * @param denylistRetention  how long a revoked grant id is remembered: longer than an access token lives
 */
@ConfigurationProperties("backlogmcp.edge")
public record EdgeConfiguration(
        String publicUrl,
        String authIssuer,
        String authUrl,
        List<String> allowedOrigins,
        int pageSize,
        Duration introspectionTtl,
        Duration catalogTtl,
        Duration jwksTtl,
        Duration jwksRefetchMinimum,
        Duration upstreamTimeout,
        String argsHashSecret,
        int auditBuffer,
        Duration denylistRetention) {

    private static final Duration INTROSPECTION_CAP = Duration.ofSeconds(30);

    /** {@code ${MCP_PUBLIC_URL}/p/{projectId}/mcp}, the exact resource URL tokens must be bound to. */
    public String endpointUrl(String projectId) {
        return endpointUrl(Endpoint.project(projectId));
    }

    /** {@code ${MCP_PUBLIC_URL}/p/{id}/mcp} or {@code …/w/{id}/mcp}: the exact resource URL tokens must be bound to. */
    public String endpointUrl(Endpoint endpoint) {
        return trimmedPublicUrl() + endpoint.path();
    }

    /** The RFC 9728 metadata URL of an endpoint (well-known suffix inserted before the path, RFC 9728 §3.1). */
    public String metadataUrl(String projectId) {
        return metadataUrl(Endpoint.project(projectId));
    }

    public String metadataUrl(Endpoint endpoint) {
        return trimmedPublicUrl() + "/.well-known/oauth-protected-resource" + endpoint.path();
    }

    public List<String> origins() {
        if (allowedOrigins == null) {
            return List.of();
        }
        return allowedOrigins.stream().flatMap(o -> Arrays.stream(o.split(","))).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public Duration effectiveIntrospectionTtl() {
        return introspectionTtl.compareTo(INTROSPECTION_CAP) > 0 ? INTROSPECTION_CAP : introspectionTtl;
    }

    private String trimmedPublicUrl() {
        return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }
}
