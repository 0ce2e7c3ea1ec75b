package com.backlogmcp.auth.token;

import com.backlogmcp.auth.grant.Grant;
import com.backlogmcp.auth.keys.SigningKeys;
import com.backlogmcp.auth.support.AuthSettings;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;

/**
 * Mints and verifies access tokens: ES256 JWTs (RFC 9068 {@code typ: at+jwt}), 15 minutes, with the claims of
 * {@code iss sub aud scope client_id gid jti iat exp} (the edge's step 2 reads {@code gid} to check revocation); {@code aud} is the MCP endpoint URL the grant is bound to.
 */
@Singleton
public class AccessTokens {

    public static final Duration LIFETIME = Duration.ofMinutes(15);
    public static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

    private final SigningKeys keys;
    private final AuthSettings settings;
    private final Clock clock;

    AccessTokens(SigningKeys keys, AuthSettings settings, Clock clock) {
        this.keys = keys;
        this.settings = settings;
        this.clock = clock;
    }

    public String mint(Grant grant, String scope) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(settings.issuerBase())
                .subject(grant.userId())
                .audience(grant.resource())
                .claim("scope", scope)
                .claim("client_id", grant.clientId())
                .claim("gid", grant.id())
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)))
                .build();
        ECKey key = keys.current();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(AT_JWT).build(), claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign access token", e);
        }
        return jwt.serialize();
    }

    /** Claims of a token this server issued, signature and expiry checked; empty for anything else. */
    public Optional<JWTClaimsSet> verify(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm()) || !AT_JWT.equals(jwt.getHeader().getType())
                    || jwt.getHeader().getKeyID() == null) {
                return Optional.empty();
            }
            Optional<ECKey> key = keys.publicKey(jwt.getHeader().getKeyID());
            if (key.isEmpty() || !jwt.verify(new ECDSAVerifier(key.get()))) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (claims.getExpirationTime() == null || !claims.getExpirationTime().toInstant().isAfter(clock.instant())
                    || !settings.issuerBase().equals(claims.getIssuer())) {
                return Optional.empty();
            }
            return Optional.of(claims);
        } catch (java.text.ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
