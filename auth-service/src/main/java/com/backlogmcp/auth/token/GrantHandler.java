package com.backlogmcp.auth.token;

import com.backlogmcp.auth.client.RegisteredClient;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.TokenRequest;

/** One implementation per grant type; the token endpoint picks the one that {@link #supports} the request's grant. */
public interface GrantHandler {

    boolean supports(GrantType grantType);

    IssuedTokens handle(TokenRequest request, RegisteredClient client) throws OAuthException;
}
