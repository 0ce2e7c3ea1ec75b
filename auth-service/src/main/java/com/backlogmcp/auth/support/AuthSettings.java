package com.backlogmcp.auth.support;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Settings of auth-service, each read from an environment variable (see application.yml for names and defaults).
 *
 * @param issuer                     public base URL of auth-service ({@code AUTH_ISSUER}); the {@code iss} of tokens
 * @param mcpPublicUrl               public base URL of the MCP edge ({@code MCP_PUBLIC_URL}); resources are {@code …/p/{id}/mcp}
 * @param keyEncryptionSecret        encrypts signing private keys at rest ({@code AUTH_KEY_ENCRYPTION_SECRET})
 * @param corsOrigins                comma-separated browser origins allowed on the public OAuth endpoints
 * @param cimdAllowPrivateAddresses  local-development switch: let client metadata documents live on private addresses
 * @param seedDemoData               seed the demo users of {@link com.backlogmcp.contracts.demo.DemoFixture} ({@code SEED_DEMO_DATA})
 * @param cookieSecure               mark cookies {@code Secure} (browsers accept that on http://localhost too)
 * @param keyRotationPeriod          age after which the signing key is rotated
 * @param clientAddressHeader        header set by the trusted ingress with the client address (e.g. X-Forwarded-For);
 *                                   empty = use the socket address (a client-sent header is never trusted by default)
 */
@ConfigurationProperties("backlogmcp.auth")
public record AuthSettings(
        String issuer,
        String mcpPublicUrl,
        String keyEncryptionSecret,
        @Nullable String corsOrigins,
        boolean cimdAllowPrivateAddresses,
        boolean seedDemoData,
        boolean cookieSecure,
        Duration keyRotationPeriod,
        @Nullable String clientAddressHeader) {

    public List<String> corsOriginList() {
        if (corsOrigins == null || corsOrigins.isBlank()) {
            return List.of();
        }
        return Arrays.stream(corsOrigins.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * The address login throttling counts against. Behind a proxy the socket address is the proxy's, so the header the
     * proxy sets is used when configured; its last entry is the one the trusted proxy appended, not one a client forged.
     */
    public String clientAddress(io.micronaut.http.HttpRequest<?> request) {
        if (clientAddressHeader != null && !clientAddressHeader.isBlank()) {
            String value = request.getHeaders().get(clientAddressHeader);
            if (value != null && !value.isBlank()) {
                String[] parts = value.split(",");
                return parts[parts.length - 1].trim();
            }
        }
        var socket = request.getRemoteAddress().getAddress();
        return socket == null ? "unknown" : socket.getHostAddress();
    }

    public String issuerBase() {
        return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    }

    public String mcpBase() {
        return mcpPublicUrl.endsWith("/") ? mcpPublicUrl.substring(0, mcpPublicUrl.length() - 1) : mcpPublicUrl;
    }

    public String mcpEndpoint(String projectId) {
        return mcpBase() + "/p/" + projectId + "/mcp";
    }
}
