package com.backlogmcp.mcp.session;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * {@code Mcp-Session-Id} values that any edge replica can verify without shared memory: the id carries its own
 * facts — project, protocol version, a hash of the credential that opened it, when it was issued, a random nonce —
 * and an HMAC-SHA256 over them. A replica that never saw the initialize checks the MAC, the expiry and that the
 * presenting credential is the one bound in the id; only the set of sessions ended early by DELETE has to travel
 * between replicas ({@link EndedSessions}).
 *
 * <p>The MAC key is derived from SERVICE_TOKEN_SECRET (HMAC of a fixed label), so it needs no setting of its own;
 * rotating that secret ends every session, which a client survives by initializing again on the 404.
 * The credential is bound by a SHA-256 of its id (grant or API key), never the id itself: a session id in a log
 * names no grant.
 */
@Singleton
public class SessionIds {

    /** One verified session. */
    public record Session(String id, String nonce, String endpointKey, String protocolVersion, Instant expiresAt) {
    }

    private static final String PREFIX = "s1";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final byte[] key;
    private final Duration ttl;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    @Inject
    SessionIds(@Value("${backlogmcp.service-token-secret}") String serviceSecret,
               @Value("${backlogmcp.sessions.ttl:24h}") Duration ttl) {
        this(serviceSecret, ttl, Clock.systemUTC());
    }

    SessionIds(String serviceSecret, Duration ttl, Clock clock) {
        this.key = hmac(serviceSecret.getBytes(StandardCharsets.UTF_8), "backlog-mcp session id v1".getBytes(StandardCharsets.UTF_8));
        this.ttl = ttl;
        this.clock = clock;
    }

    public Duration ttl() {
        return ttl;
    }

    /** A new session id for {@code credentialId} on the endpoint {@code endpointKey}, speaking {@code protocolVersion}. */
    public String issue(String credentialId, String endpointKey, String protocolVersion) {
        byte[] n = new byte[12];
        random.nextBytes(n);
        String payload = String.join("|", endpointKey, protocolVersion, credentialHash(credentialId),
                Long.toString(clock.instant().getEpochSecond()), B64.encodeToString(n));
        String body = B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return PREFIX + "." + body + "." + B64.encodeToString(hmac(key, (PREFIX + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The session {@code id} names, if it is genuine, unexpired, for the endpoint {@code endpointKey} and opened by
     * {@code credentialId}; empty otherwise (the caller answers 404 without saying which check failed).
     */
    public Optional<Session> verify(String id, String credentialId, String endpointKey) {
        String[] parts = id.split("\\.", -1);
        if (parts.length != 3 || !PREFIX.equals(parts[0]) || id.length() > 512) {
            return Optional.empty();
        }
        byte[] mac;
        try {
            mac = B64D.decode(parts[2]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(mac, hmac(key, (parts[0] + "." + parts[1]).getBytes(StandardCharsets.UTF_8)))) {
            return Optional.empty();
        }
        String[] f = new String(B64D.decode(parts[1]), StandardCharsets.UTF_8).split("\\|", -1);
        if (f.length != 5) {
            return Optional.empty();
        }
        Instant expires = Instant.ofEpochSecond(Long.parseLong(f[3])).plus(ttl);
        boolean sameCredential = MessageDigest.isEqual(f[2].getBytes(StandardCharsets.US_ASCII),
                credentialHash(credentialId).getBytes(StandardCharsets.US_ASCII));
        if (!sameCredential || !f[0].equals(endpointKey) || !clock.instant().isBefore(expires)) {
            return Optional.empty();
        }
        return Optional.of(new Session(id, f[4], f[0], f[1], expires));
    }

    private static String credentialHash(String credentialId) {
        try {
            return B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(credentialId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
