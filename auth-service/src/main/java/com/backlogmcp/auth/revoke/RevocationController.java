package com.backlogmcp.auth.revoke;

import com.backlogmcp.auth.client.RegisteredClient;
import com.backlogmcp.auth.grant.GrantRevocations;
import com.backlogmcp.auth.grant.GrantStore;
import com.backlogmcp.auth.grant.RefreshTokenStore;
import com.backlogmcp.auth.support.AuthSettings;
import com.backlogmcp.auth.token.AccessTokens;
import com.backlogmcp.auth.token.ClientAuthenticator;
import com.backlogmcp.auth.token.OAuthEndpointMessages;
import com.backlogmcp.auth.token.OAuthException;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;

/**
 * {@code POST /oauth/revoke} (RFC 7009). Revoking a refresh token or an access token revokes its grant (RFC 7009 §2.1
 * allows revoking the related tokens too), which the edges learn through {@code auth.grants.v1}. Answers 200 for
 * unknown tokens and for tokens of another client (§2.2: nothing to tell the caller).
 */
@Controller("/oauth/revoke")
final class RevocationController {

    private final ClientAuthenticator authenticator;
    private final RefreshTokenStore refreshTokens;
    private final AccessTokens accessTokens;
    private final GrantStore grants;
    private final GrantRevocations revocations;
    private final AuthSettings settings;

    RevocationController(ClientAuthenticator authenticator, RefreshTokenStore refreshTokens, AccessTokens accessTokens,
                         GrantStore grants, GrantRevocations revocations, AuthSettings settings) {
        this.authenticator = authenticator;
        this.refreshTokens = refreshTokens;
        this.accessTokens = accessTokens;
        this.grants = grants;
        this.revocations = revocations;
        this.settings = settings;
    }

    @Post
    @Consumes(MediaType.ALL)
    HttpResponse<String> revoke(HttpRequest<?> request, @Nullable @Body String body) {
        try {
            TokenRevocationRequest r = OAuthEndpointMessages.parse(request, body, settings.issuerBase()).parse(TokenRevocationRequest::parse);
            RegisteredClient client = authenticator.authenticate(r.getClientAuthentication(), r.getClientID());
            String raw = r.getToken().getValue();
            var refresh = refreshTokens.find(raw);
            if (refresh.isPresent()) {
                if (refresh.get().clientId().equals(client.clientId())) {
                    revocations.revoke(refresh.get().grantId(), GrantRevocations.USER);
                }
            } else {
                accessTokens.verify(raw)
                        .filter(c -> client.clientId().equals(c.getClaim("client_id")))
                        .map(c -> (String) c.getClaim("gid"))
                        .flatMap(grants::find)
                        .ifPresent(g -> revocations.revoke(g.id(), GrantRevocations.USER));
            }
            return HttpResponse.<String>ok().header("Cache-Control", "no-store");
        } catch (OAuthException e) {
            return OAuthEndpointMessages.error(e);
        }
    }
}
