package com.backlogmcp.auth.token;

import com.backlogmcp.auth.client.RegisteredClient;
import com.backlogmcp.auth.grant.Grant;
import com.backlogmcp.auth.grant.GrantRevocations;
import com.backlogmcp.auth.grant.GrantStore;
import com.backlogmcp.auth.grant.RefreshTokenStore;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Clock;
import java.util.List;

/** {@code grant_type=refresh_token} (RFC 6749 §6, OAuth 2.1 §4.3.1 rotation, RFC 8707 §2.2). */
@Singleton
final class RefreshTokenGrantHandler implements GrantHandler {

    private final RefreshTokenStore refreshTokens;
    private final GrantStore grants;
    private final GrantRevocations revocations;
    private final AccessTokens accessTokens;
    private final Clock clock;

    RefreshTokenGrantHandler(RefreshTokenStore refreshTokens, GrantStore grants, GrantRevocations revocations,
                             AccessTokens accessTokens, Clock clock) {
        this.refreshTokens = refreshTokens;
        this.grants = grants;
        this.revocations = revocations;
        this.accessTokens = accessTokens;
        this.clock = clock;
    }

    @Override
    public boolean supports(GrantType grantType) {
        return GrantType.REFRESH_TOKEN.equals(grantType);
    }

    @Override
    public IssuedTokens handle(TokenRequest request, RegisteredClient client) throws OAuthException {
        String raw = ((RefreshTokenGrant) request.getAuthorizationGrant()).getRefreshToken().getValue();
        // RFC 6749 §6: the token is bound to the client it was issued to. Checked before spending, so another
        // client presenting it cannot burn the rightful client's token.
        var known = refreshTokens.find(raw);
        if (known.isPresent() && !known.get().clientId().equals(client.clientId())) {
            throw OAuthException.invalidGrant("refresh token was issued to another client");
        }
        if (known.isPresent()) {
            // RFC 6749 §6: a wider scope is refused before the token is spent, so the client keeps a usable token.
            Scopes.narrow(known.get().scope(), request.getScope());
        }
        RefreshTokenStore.RefreshToken token = switch (refreshTokens.spend(raw)) {
            case RefreshTokenStore.Unknown u -> throw OAuthException.invalidGrant("unknown refresh token");
            case RefreshTokenStore.Reused r -> {
                // OAuth 2.1 §4.3.1: a rotated token presented again means it leaked; revoke the whole grant.
                revocations.revoke(r.token().grantId(), GrantRevocations.REFRESH_REUSE);
                throw OAuthException.invalidGrant("refresh token was already used; the grant is revoked");
            }
            case RefreshTokenStore.Fresh f -> f.token();
        };
        Grant grant = grants.find(token.grantId()).filter(Grant::active)
                .orElseThrow(() -> OAuthException.invalidGrant("the grant was revoked"));
        if (!token.expiresAt().isAfter(clock.instant())) {
            throw OAuthException.invalidGrant("refresh token expired");
        }
        List<URI> resources = request.getResources();
        if (resources != null && !resources.isEmpty() && (resources.size() != 1 || !resources.get(0).toString().equals(token.resource()))) {
            throw new OAuthException(OAuthException.INVALID_TARGET, "resource does not match the grant");
        }
        String scope = Scopes.narrow(token.scope(), request.getScope());
        // RFC 6749 §6: the new refresh token keeps the scope of the old one, even when this access token is narrower.
        String next = refreshTokens.issue(grant.id(), client.clientId(), token.resource(), token.scope());
        return new IssuedTokens(accessTokens.mint(grant, scope), scope, next);
    }
}
