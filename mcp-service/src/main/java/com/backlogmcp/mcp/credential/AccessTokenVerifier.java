package com.backlogmcp.mcp.credential;

import com.backlogmcp.mcp.config.EdgeConfiguration;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
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
 * <p>
 * A token that verified is remembered, keyed by its SHA-256, until its own {@code exp}: an agent sends the same
 * token on every call for its whole life, so the ES256 verification (the most expensive thing the edge does per
 * call) runs once per token per replica, not once per call. Nothing about trust changes: the cached answer is what
 * verifying again would give until {@code exp}, and revocation never depended on it: step 2 checks the
 * {@link GrantDenylist} on every call. Tokens that fail are not remembered (a forged one costs a verification
 * each time, as before). Bounded to {@value #MAX_CACHED} tokens, least recently used first out.
 */
@Singleton
public class AccessTokenVerifier {

    private static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");
    private static final int MAX_CLOCK_SKEW_SECONDS = 30;

    static final int MAX_CACHED = 100_000;

    private final ConfigurableJWTProcessor<SecurityContext> processor;
    private volatile boolean jwksLoaded;
    private final Cache<String, Verified> verified = Caffeine.newBuilder()
            .maximumSize(MAX_CACHED)
            .expireAfter(Expiry.creating((String hash, Verified v) -> Duration.between(Instant.now(), v.expires())))
            .build();

    private record Verified(Principal principal, Instant expires) {
    }

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
        String hash = sha256(token);
        Verified known = verified.getIfPresent(hash);
        if (known != null && Instant.now().isBefore(known.expires())) {
            return known.principal();
        }
        return verifyNow(token, hash);
    }

    private Principal verifyNow(String token, String hash) throws CredentialRejected {
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
            Principal principal = new Principal(Principal.Kind.ACCESS_TOKEN, claims.getSubject(), Set.copyOf(scopes),
                    claims.getStringClaim("client_id"), claims.getStringClaim("gid"), null,
                    aud == null ? List.of() : List.copyOf(aud), null, null);
            // Remembered until exp exactly: the processor allowed some clock skew when checking; the cache allows none.
            verified.put(hash, new Verified(principal, claims.getExpirationTime().toInstant()));
            return principal;
        } catch (ParseException e) {
            throw new CredentialRejected("malformed claims");
        }
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
