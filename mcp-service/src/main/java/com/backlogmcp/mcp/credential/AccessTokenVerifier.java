package com.backlogmcp.mcp.credential;

import com.backlogmcp.mcp.config.EdgeConfiguration;
import com.backlogmcp.mcp.neighbour.UpstreamUnavailableException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.CachingJWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import jakarta.inject.Singleton;

import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies an access token locally: ES256 only, {@code typ: at+jwt}, issuer = AUTH_ISSUER, not expired, against
 * auth-service's JWKS. The JWKS is cached and fetched again only when a token names an unknown {@code kid}
 * (rate-limited, so a flood of forged kids cannot make us hammer auth-service); no round trip per request.
 * The audience is step 3's business, not this class's.
 */
@Singleton
public class AccessTokenVerifier {

    private static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");
    private static final int MAX_CLOCK_SKEW_SECONDS = 30;

    private final ConfigurableJWTProcessor<SecurityContext> processor;
    private volatile boolean jwksLoaded;

    public AccessTokenVerifier(EdgeConfiguration config) throws MalformedURLException {
        int timeoutMs = (int) config.upstreamTimeout().toMillis();
        JWKSource<SecurityContext> keys = JWKSourceBuilder
                .<SecurityContext>create(URI.create(config.authUrl() + "/oauth/jwks").toURL(),
                        new DefaultResourceRetriever(timeoutMs, timeoutMs, 512 * 1024))
                .cache(config.jwksTtl().toMillis(), timeoutMs, event -> {
                    if (event instanceof CachingJWKSetSource.RefreshCompletedEvent<?>) {
                        jwksLoaded = true;
                    }
                })
                .rateLimited(config.jwksRefetchMinimum().toMillis())
                .refreshAheadCache(false)
                .retrying(false)
                .build();
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(AT_JWT));
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(config.authIssuer()).build(),
                Set.of("sub", "exp", "iat", "aud", "scope", "gid", "jti"));
        claims.setMaxClockSkew(MAX_CLOCK_SKEW_SECONDS);
        p.setJWTClaimsSetVerifier(claims);
        this.processor = p;
    }

    public Principal verify(String token) throws CredentialRejected {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (RateLimitReachedException e) {
            if (jwksLoaded) {
                // An unknown kid again within the refetch interval: the JWKS was fetched recently and lacks it.
                throw new CredentialRejected("unknown signing key");
            }
            // Never fetched (auth-service down since start): the token may be fine; we cannot tell yet.
            throw new UpstreamUnavailableException("auth-service", e);
        } catch (KeySourceException e) {
            // JWKS could not be fetched at all (auth-service down and nothing cached): not the agent's fault.
            throw new UpstreamUnavailableException("auth-service", e);
        } catch (ParseException | BadJOSEException e) {
            throw new CredentialRejected(e.getMessage());
        } catch (Exception e) {
            throw new CredentialRejected("token rejected");
        }
        try {
            String scope = claims.getStringClaim("scope");
            Set<String> scopes = scope == null ? Set.of()
                    : new LinkedHashSet<>(Arrays.stream(scope.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
            List<String> aud = claims.getAudience();
            return new Principal(Principal.Kind.ACCESS_TOKEN, claims.getSubject(), scopes,
                    claims.getStringClaim("client_id"), claims.getStringClaim("gid"), null,
                    aud == null ? List.of() : List.copyOf(aud), null, null);
        } catch (ParseException e) {
            throw new CredentialRejected("malformed claims");
        }
    }
}
