package com.backlogmcp.auth.token;

import com.backlogmcp.auth.client.ClientDirectory;
import com.backlogmcp.auth.client.RegisteredClient;
import com.backlogmcp.auth.support.Secrets;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

/**
 * Authenticates the client at the token and revocation endpoints (RFC 6749 §2.3, §3.2.1): confidential clients by their
 * registered method and secret (compared as SHA-256, in constant time), public clients by {@code client_id} alone.
 */
@Singleton
public class ClientAuthenticator {

    private final ClientDirectory clients;

    ClientAuthenticator(ClientDirectory clients) {
        this.clients = clients;
    }

    public RegisteredClient authenticate(@Nullable ClientAuthentication auth, @Nullable ClientID publicClientId) throws OAuthException {
        boolean basic = auth instanceof ClientSecretBasic;
        if (auth == null && publicClientId == null) {
            throw new OAuthException(OAuth2Error.INVALID_CLIENT, "client authentication or client_id is required");
        }
        String id = auth != null ? auth.getClientID().getValue() : publicClientId.getValue();
        RegisteredClient client = clients.find(id)
                .orElseThrow(() -> new OAuthException(OAuth2Error.INVALID_CLIENT, "client authentication failed", basic));
        if (client.isPublic()) {
            if (auth != null) {
                throw new OAuthException(OAuth2Error.INVALID_CLIENT, "this client is registered as public (token_endpoint_auth_method none)", basic);
            }
            return client;
        }
        String presented = switch (auth) {
            case ClientSecretBasic b when RegisteredClient.BASIC.equals(client.authMethod()) -> b.getClientSecret().getValue();
            case ClientSecretPost p when RegisteredClient.POST.equals(client.authMethod()) -> p.getClientSecret().getValue();
            case null, default -> null;
        };
        if (presented == null || !Secrets.constantTimeEquals(Secrets.sha256(presented), client.secretHash())) {
            throw new OAuthException(OAuth2Error.INVALID_CLIENT, "client authentication failed", basic);
        }
        return client;
    }
}
