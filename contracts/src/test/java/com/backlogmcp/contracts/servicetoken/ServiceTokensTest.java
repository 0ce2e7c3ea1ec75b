package com.backlogmcp.contracts.servicetoken;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceTokensTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-test";
    private final ServiceTokens tokens = new ServiceTokens(SECRET);

    @Test
    void verifyWhenMintedForSelfThenAnswersCaller() {
        String token = tokens.mint(ServiceNames.MCP, ServiceNames.BACKLOG);
        assertEquals(Optional.of(ServiceNames.MCP), tokens.verify(token, ServiceNames.BACKLOG));
    }

    @Test
    void verifyWhenAddressedToAnotherServiceThenRefused() {
        String token = tokens.mint(ServiceNames.MCP, ServiceNames.AUDIT);
        assertTrue(tokens.verify(token, ServiceNames.BACKLOG).isEmpty());
    }

    @Test
    void verifyWhenSignedWithOtherSecretThenRefused() {
        String token = new ServiceTokens(SECRET + "-other").mint(ServiceNames.MCP, ServiceNames.BACKLOG);
        assertTrue(tokens.verify(token, ServiceNames.BACKLOG).isEmpty());
    }

    @Test
    void verifyWhenExpiredThenRefused() {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
        String token = new ServiceTokens(SECRET, past).mint(ServiceNames.MCP, ServiceNames.BACKLOG);
        assertTrue(tokens.verify(token, ServiceNames.BACKLOG).isEmpty());
    }

    @Test
    void verifyWhenAgentAccessTokenThenRefused() throws Exception {
        var key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").build(),
                new JWTClaimsSet.Builder().issuer(ServiceNames.MCP).audience(ServiceNames.BACKLOG)
                        .expirationTime(new Date(System.currentTimeMillis() + 60_000)).build());
        jwt.sign(new ECDSASigner(key));
        assertTrue(tokens.verify(jwt.serialize(), ServiceNames.BACKLOG).isEmpty());
    }

    @Test
    void verifyWhenGarbageThenRefused() {
        assertTrue(tokens.verify("not-a-jwt", ServiceNames.BACKLOG).isEmpty());
        assertTrue(tokens.verify("", ServiceNames.BACKLOG).isEmpty());
        assertTrue(tokens.verify(null, ServiceNames.BACKLOG).isEmpty());
    }

    @Test
    void verifyWhenSignedWithPreviousSecretDuringRotationThenAccepted() {
        String old = SECRET + "-old-secret";
        String minted = new ServiceTokens(old).mint(ServiceNames.MCP, ServiceNames.BACKLOG);
        ServiceTokens rotating = ServiceTokens.fromEnvironment(SECRET, old);
        assertEquals(Optional.of(ServiceNames.MCP), rotating.verify(minted, ServiceNames.BACKLOG));
        // and what the rotating replica mints is already signed with the new secret only
        String fresh = rotating.mint(ServiceNames.MCP, ServiceNames.BACKLOG);
        assertEquals(Optional.of(ServiceNames.MCP), tokens.verify(fresh, ServiceNames.BACKLOG));
        assertTrue(new ServiceTokens(old).verify(fresh, ServiceNames.BACKLOG).isEmpty());
    }

    @Test
    void verifyWhenPreviousSecretUnsetThenOnlyCurrentAccepted() {
        String minted = new ServiceTokens(SECRET + "-old-secret").mint(ServiceNames.MCP, ServiceNames.BACKLOG);
        assertTrue(ServiceTokens.fromEnvironment(SECRET, "").verify(minted, ServiceNames.BACKLOG).isEmpty());
        assertTrue(ServiceTokens.fromEnvironment(SECRET, null).verify(minted, ServiceNames.BACKLOG).isEmpty());
    }

    @Test
    void constructWhenPreviousSecretTooShortThenRejected() {
        assertThrows(IllegalArgumentException.class, () -> ServiceTokens.fromEnvironment(SECRET, "short"));
    }

    @Test
    void constructWhenSecretTooShortThenRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ServiceTokens("short"));
    }

    @Test
    void verifyWhenRememberedCredentialExpiresThenRefused() {
        MovableClock clock = new MovableClock(Instant.now());
        ServiceTokens verifying = new ServiceTokens(SECRET, clock);
        String token = new ServiceTokens(SECRET, clock).mint(ServiceNames.MCP, ServiceNames.BACKLOG);
        assertEquals(Optional.of(ServiceNames.MCP), verifying.verify(token, ServiceNames.BACKLOG));
        assertEquals(Optional.of(ServiceNames.MCP), verifying.verify(token, ServiceNames.BACKLOG));
        clock.now = clock.now.plus(ServiceTokens.LIFETIME).plus(ServiceTokens.CLOCK_SKEW).plusSeconds(1);
        assertTrue(verifying.verify(token, ServiceNames.BACKLOG).isEmpty());
        assertTrue(verifying.verify(token, ServiceNames.BACKLOG).isEmpty());
    }

    @Test
    void verifyWhenRememberedForOneAudienceThenStillRefusedForAnother() {
        String token = tokens.mint(ServiceNames.MCP, ServiceNames.BACKLOG);
        assertEquals(Optional.of(ServiceNames.MCP), tokens.verify(token, ServiceNames.BACKLOG));
        assertTrue(tokens.verify(token, ServiceNames.AUDIT).isEmpty());
    }

    @Test
    void verifyWhenRememberedCredentialIsAlteredThenRefused() {
        String token = tokens.mint(ServiceNames.MCP, ServiceNames.BACKLOG);
        assertEquals(Optional.of(ServiceNames.MCP), tokens.verify(token, ServiceNames.BACKLOG));
        // A character inside the signature (the last one may carry only padding bits, which decoders ignore).
        int at = token.length() - 10;
        String altered = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
        assertTrue(tokens.verify(altered, ServiceNames.BACKLOG).isEmpty());
    }

    /** A clock the test moves forward. */
    private static final class MovableClock extends Clock {
        Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
