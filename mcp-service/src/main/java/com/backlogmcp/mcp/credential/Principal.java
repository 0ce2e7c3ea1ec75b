package com.backlogmcp.mcp.credential;

import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.Set;

/**
 * Who is calling, as established by step 2: an access token (JWT) or an API key. The acting user is
 * {@code userId}; its live membership still applies (step 5).
 *
 * @param audiences   a JWT's {@code aud} values (empty for API keys)
 * @param projectId   an API key's project binding, if any
 * @param workspaceId an API key's workspace binding, if any
 */
public record Principal(
        Kind kind,
        String userId,
        Set<String> scopes,
        @Nullable String clientId,
        @Nullable String grantId,
        @Nullable String keyId,
        List<String> audiences,
        @Nullable String projectId,
        @Nullable String workspaceId) {

    public enum Kind { ACCESS_TOKEN, API_KEY }

    /** The id quota and revocation are keyed on: the grant id, else the key id. */
    public String credentialId() {
        return grantId != null ? grantId : keyId;
    }

    /** The client the user acts through, as the item history records it: the OAuth client, else the API key. */
    public String actingClient() {
        return clientId != null ? clientId : keyId != null ? "api_key:" + keyId : null;
    }
}
