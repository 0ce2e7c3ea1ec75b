package com.backlogmcp.auth.token;

import com.backlogmcp.auth.client.RegisteredClient;
import com.backlogmcp.auth.support.AuthSettings;
import com.backlogmcp.auth.support.NimbusRequests;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;

import java.util.List;

/** {@code POST /oauth/token}: parses with Nimbus, authenticates the client, hands the grant to its {@link GrantHandler}. */
@Controller("/oauth/token")
final class TokenController {

    private final List<GrantHandler> handlers;
    private final ClientAuthenticator authenticator;
    private final AuthSettings settings;

    TokenController(List<GrantHandler> handlers, ClientAuthenticator authenticator, AuthSettings settings) {
        this.handlers = handlers;
        this.authenticator = authenticator;
        this.settings = settings;
    }

    @Post
    @Consumes(MediaType.ALL)
    HttpResponse<String> token(HttpRequest<?> request, @Nullable @Body String body) {
        try {
            TokenRequest tokenRequest = OAuthEndpointMessages.parse(request, body, settings.issuerBase()).parse(TokenRequest::parse);
            RegisteredClient client = authenticator.authenticate(tokenRequest.getClientAuthentication(), tokenRequest.getClientID());
            GrantHandler handler = handlers.stream().filter(h -> h.supports(tokenRequest.getAuthorizationGrant().getType())).findFirst()
                    .orElseThrow(() -> new OAuthException(OAuth2Error.UNSUPPORTED_GRANT_TYPE, "supported grant types: authorization_code, refresh_token"));
            IssuedTokens issued = handler.handle(tokenRequest, client);
            BearerAccessToken access = new BearerAccessToken(issued.accessToken(), AccessTokens.LIFETIME.toSeconds(), Scope.parse(issued.scope()));
            HTTPResponse ok = new AccessTokenResponse(new Tokens(access, new RefreshToken(issued.refreshToken()))).toHTTPResponse();
            return NimbusRequests.fromNimbus(ok);
        } catch (OAuthException e) {
            return OAuthEndpointMessages.error(e);
        }
    }
}
