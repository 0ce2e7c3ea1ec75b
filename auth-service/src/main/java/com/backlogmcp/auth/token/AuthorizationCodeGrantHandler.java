package com.backlogmcp.auth.token;

import com.backlogmcp.auth.client.RegisteredClient;
import com.backlogmcp.auth.events.GrantEvents;
import com.backlogmcp.auth.grant.AuthorizationCode;
import com.backlogmcp.auth.grant.AuthorizationCodeStore;
import com.backlogmcp.auth.grant.Grant;
import com.backlogmcp.auth.grant.GrantRevocations;
import com.backlogmcp.auth.grant.GrantStore;
import com.backlogmcp.auth.grant.RefreshTokenStore;
import com.backlogmcp.auth.support.Secrets;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.net.URI;
import java.sql.Connection;
import java.time.Clock;
import java.util.List;

/** {@code grant_type=authorization_code} (RFC 6749 §4.1.3, RFC 7636 §4.6, RFC 8707 §2.2). */
@Singleton
final class AuthorizationCodeGrantHandler implements GrantHandler {

    private final AuthorizationCodeStore codes;
    private final GrantStore grants;
    private final RefreshTokenStore refreshTokens;
    private final GrantRevocations revocations;
    private final GrantEvents events;
    private final AccessTokens accessTokens;
    private final TransactionOperations<Connection> tx;
    private final Clock clock;

    AuthorizationCodeGrantHandler(AuthorizationCodeStore codes, GrantStore grants, RefreshTokenStore refreshTokens,
                                  GrantRevocations revocations, GrantEvents events, AccessTokens accessTokens,
                                  TransactionOperations<Connection> tx, Clock clock) {
        this.codes = codes;
        this.grants = grants;
        this.refreshTokens = refreshTokens;
        this.revocations = revocations;
        this.events = events;
        this.accessTokens = accessTokens;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public boolean supports(GrantType grantType) {
        return GrantType.AUTHORIZATION_CODE.equals(grantType);
    }

    /** What the code exchange's transaction decided. */
    private sealed interface Exchange permits Issued, Refused, Replayed {
    }

    private record Issued(Grant grant, String scope) implements Exchange {
    }

    private record Refused(OAuthException reason) implements Exchange {
    }

    private record Replayed(String grantId) implements Exchange {
    }

    @Override
    public IssuedTokens handle(TokenRequest request, RegisteredClient client) throws OAuthException {
        AuthorizationCodeGrant grant = (AuthorizationCodeGrant) request.getAuthorizationGrant();
        // Spending the code and creating its grant commit together, and a refusal still commits the spending. A
        // concurrent replay's UPDATE waits on the code's row lock until then, so it always finds the grant the first
        // use created and revokes it — there is no moment where the code is spent but its grant not yet attached.
        Exchange exchange = tx.executeWrite(status -> switch (codes.redeem(grant.getAuthorizationCode().getValue())) {
            case AuthorizationCodeStore.Unknown u -> new Refused(OAuthException.invalidGrant("unknown authorization code"));
            case AuthorizationCodeStore.Replay r -> new Replayed(r.code().grantId());
            case AuthorizationCodeStore.FirstUse f -> {
                OAuthException problem = problem(f.code(), grant, request, client);
                yield problem != null ? new Refused(problem) : create(f.code(), request, client);
            }
        });
        return switch (exchange) {
            case Refused r -> throw r.reason();
            case Replayed r -> {
                // RFC 6749 §4.1.2 / OAuth 2.1 §4.1.3: a replayed code revokes the tokens issued for it.
                revocations.revoke(r.grantId(), GrantRevocations.CODE_REPLAY);
                throw OAuthException.invalidGrant("authorization code was already used; the tokens issued for it are revoked");
            }
            case Issued i -> {
                String refresh = refreshTokens.issue(i.grant().id(), client.clientId(), i.grant().resource(), i.grant().scope());
                yield new IssuedTokens(accessTokens.mint(i.grant(), i.scope()), i.scope(), refresh);
            }
        };
    }

    /** Why this first use of the code issues nothing, or null when it may. */
    private OAuthException problem(AuthorizationCode code, AuthorizationCodeGrant grant, TokenRequest request, RegisteredClient client) {
        // RFC 6749 §4.1.3: the code was issued to the authenticated client.
        if (!code.clientId().equals(client.clientId())) {
            return OAuthException.invalidGrant("authorization code was issued to another client");
        }
        // RFC 6749 §4.1.2: short lifetime (60 s here).
        if (!code.expiresAt().isAfter(clock.instant())) {
            return OAuthException.invalidGrant("authorization code expired");
        }
        // RFC 6749 §4.1.3: redirect_uri identical to the one of the authorization request.
        URI redirect = grant.getRedirectionURI();
        if (redirect == null || !redirect.toString().equals(code.redirectUri())) {
            return OAuthException.invalidGrant("redirect_uri does not match the authorization request");
        }
        // RFC 7636 §4.6: S256(code_verifier) equals the stored code_challenge.
        if (grant.getCodeVerifier() == null) {
            return OAuthException.invalidGrant("code_verifier is required (PKCE)");
        }
        String computed = CodeChallenge.compute(CodeChallengeMethod.S256, grant.getCodeVerifier()).getValue();
        if (!Secrets.constantTimeEquals(computed, code.codeChallenge())) {
            return OAuthException.invalidGrant("code_verifier does not match the code_challenge");
        }
        // RFC 8707 §2.2: a resource given here must be the one the code was issued for.
        List<URI> resources = request.getResources();
        if (resources != null && !resources.isEmpty() && (resources.size() != 1 || !resources.get(0).toString().equals(code.resource()))) {
            return new OAuthException(OAuthException.INVALID_TARGET, "resource does not match the authorization request");
        }
        try {
            Scopes.narrow(code.scope(), request.getScope());
        } catch (OAuthException e) {
            return e;
        }
        return null;
    }

    private Issued create(AuthorizationCode code, TokenRequest request, RegisteredClient client) {
        Grant g = grants.create(code.userId(), client.clientId(), code.projectId(), code.workspaceId(), code.resource(),
                code.scope(), code.redirectUri());
        codes.attachGrant(code.codeHash(), g.id());
        // grant.created commits with the grant (outbox); the relay publishes it after commit.
        events.grantCreated(g.id(), g.userId(), g.projectId(), g.workspaceId(), g.clientId());
        try {
            return new Issued(g, Scopes.narrow(code.scope(), request.getScope()));
        } catch (OAuthException e) {
            throw new IllegalStateException("scope was checked before", e);
        }
    }
}
