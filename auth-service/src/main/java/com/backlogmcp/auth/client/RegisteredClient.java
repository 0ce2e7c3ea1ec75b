package com.backlogmcp.auth.client;

import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * A client known to this server: registered dynamically (RFC 7591), pre-registered by an admin, or described by a
 * Client ID Metadata Document (then {@code clientId} is the document's https URL and the client is public).
 */
public record RegisteredClient(String clientId, @Nullable String secretHash, String authMethod, List<String> redirectUris,
                               @Nullable String clientName, String source) {

    public static final String NONE = "none";
    public static final String BASIC = "client_secret_basic";
    public static final String POST = "client_secret_post";

    public boolean isPublic() {
        return NONE.equals(authMethod);
    }

    /** Redirect URIs match exactly, character for character (OAuth 2.1 §4.1.1). */
    public boolean allowsRedirect(String redirectUri) {
        return redirectUri != null && redirectUris.contains(redirectUri);
    }
}
