package com.backlogmcp.contracts.servicetoken;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The wire format of a service credential: an HS256 JWT with header {@code typ: service+jwt},
 * {@code iss} = calling service, {@code aud} = called service, a short lifetime.
 *
 * <p>It travels as {@code Authorization: Bearer …} on {@code /internal/**} calls. An agent's access
 * token (ES256, issued by auth-service) can never pass here: wrong algorithm, wrong type, wrong key.
 * The secret comes from {@code SERVICE_TOKEN_SECRET} and must be at least 32 bytes. During a rotation the old value
 * is given as {@code SERVICE_TOKEN_SECRET_PREVIOUS}: tokens are minted with the current secret only and accepted
 * under either, so replicas can be restarted one by one without refusing each other's calls.
 */
public final class ServiceTokens {

    /** JOSE {@code typ} that marks a service credential; an access token never carries it. */
    public static final JOSEObjectType TYPE = new JOSEObjectType("service+jwt");
    /** Lifetime of a minted token; callers cache and re-mint before it runs out. */
    public static final Duration LIFETIME = Duration.ofMinutes(5);
    /** Tolerated clock difference between replicas. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    /** Bound of the verified-credential memo; callers re-mint every few minutes, so a handful of entries is normal. */
    private static final int MAX_REMEMBERED = 1_000;

    private final byte[] secret;
    private final List<byte[]> accepted;
    private final Clock clock;
    /**
     * Credentials this process already verified, by SHA-256 of the token and the audience they were verified for, until
     * their expiry: a caller presents the same credential on every call for minutes, and parsing the JWT and checking
     * its MAC on each internal request was a measurable share of a tool call's CPU. Only valid credentials are kept,
     * so a stream of forged tokens cannot fill it, and the hash lookup never compares the presented token with a stored
     * one character by character.
     */
    private final Map<String, Remembered> verified = new ConcurrentHashMap<>();

    private record Remembered(String issuer, Instant expires) {
    }

    /**
     * @param previous secrets still accepted (not used for minting); blank entries are ignored, so an unset
     *                 {@code SERVICE_TOKEN_SECRET_PREVIOUS} means none
     */
    public ServiceTokens(String secret, List<String> previous, Clock clock) {
        this.secret = checked(secret, "SERVICE_TOKEN_SECRET");
        List<byte[]> all = new java.util.ArrayList<>();
        all.add(this.secret);
        for (String p : previous) {
            if (p != null && !p.isBlank()) {
                all.add(checked(p, "SERVICE_TOKEN_SECRET_PREVIOUS"));
            }
        }
        this.accepted = List.copyOf(all);
        this.clock = clock;
    }

    public ServiceTokens(String secret, Clock clock) {
        this(secret, List.of(), clock);
    }

    public ServiceTokens(String secret) {
        this(secret, Clock.systemUTC());
    }

    /** The current secret and, during a rotation, the previous one (blank or null when none), as read from the environment. */
    public static ServiceTokens fromEnvironment(String current, String previous) {
        return new ServiceTokens(current, previous == null ? List.of() : List.of(previous), Clock.systemUTC());
    }

    private static byte[] checked(String value, String name) {
        if (value == null || value.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException(name + " must be at least 32 bytes");
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** Mints a credential for {@code caller} to present to {@code audience}. */
    public String mint(String caller, String audience) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(caller)
                .subject("service:" + caller)
                .audience(audience)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(TYPE).build(), claims);
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign service token", e);
        }
        return jwt.serialize();
    }

    /**
     * Verifies a credential presented to {@code self}; answers the calling service's name, or empty
     * for anything that is not a valid, unexpired service credential addressed to {@code self}.
     * The MAC comparison inside Nimbus is constant-time.
     */
    public Optional<String> verify(String token, String self) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        String memoKey = self + ' ' + sha256(token);
        Remembered known = verified.get(memoKey);
        if (known != null) {
            if (!now.minus(CLOCK_SKEW).isAfter(known.expires())) {
                return Optional.of(known.issuer());
            }
            verified.remove(memoKey);
            return Optional.empty();
        }
        Optional<Remembered> fresh = verifyAfresh(token, self, now);
        fresh.ifPresent(r -> remember(memoKey, r, now));
        return fresh.map(Remembered::issuer);
    }

    private Optional<Remembered> verifyAfresh(String token, String self, Instant now) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            JWSHeader header = jwt.getHeader();
            if (!JWSAlgorithm.HS256.equals(header.getAlgorithm()) || !TYPE.equals(header.getType())) {
                return Optional.empty();
            }
            if (!signedByAnAcceptedSecret(jwt)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date exp = claims.getExpirationTime();
            if (exp == null || now.minus(CLOCK_SKEW).isAfter(exp.toInstant())) {
                return Optional.empty();
            }
            Date iat = claims.getIssueTime();
            if (iat != null && iat.toInstant().isAfter(now.plus(CLOCK_SKEW))) {
                return Optional.empty();
            }
            List<String> aud = claims.getAudience();
            if (aud == null || !aud.contains(self) || claims.getIssuer() == null) {
                return Optional.empty();
            }
            return Optional.of(new Remembered(claims.getIssuer(), exp.toInstant()));
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Remembers a credential just verified, until its {@code exp} (plus the tolerated skew, as a fresh check would). */
    private void remember(String memoKey, Remembered credential, Instant now) {
        if (verified.size() >= MAX_REMEMBERED) {
            verified.values().removeIf(r -> now.minus(CLOCK_SKEW).isAfter(r.expires()));
            if (verified.size() >= MAX_REMEMBERED) {
                verified.clear();
            }
        }
        verified.put(memoKey, credential);
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private boolean signedByAnAcceptedSecret(SignedJWT jwt) throws JOSEException {
        boolean any = false;
        for (byte[] key : accepted) {
            // Every accepted secret is tried, so the time taken does not tell which one matched.
            any |= jwt.verify(new MACVerifier(key));
        }
        return any;
    }
}
