package com.backlogmcp.backlog.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Settings of backlog-service, each read from an environment variable (names and defaults in application.yml).
 * Built at start-up ({@code @Context}) and checked there, so a bad value stops the service with a message naming
 * its variable instead of failing the first call that needs it.
 *
 * @param serviceTokenSecret         SERVICE_TOKEN_SECRET: signs and checks service credentials; at least 32 bytes
 * @param serviceTokenSecretPrevious SERVICE_TOKEN_SECRET_PREVIOUS: the old secret, still accepted while rotating
 * @param authIssuer                 AUTH_ISSUER: public base URL of auth-service, where invitation links point
 * @param invitationTtl              INVITATION_TTL: how long an invitation by email stays open
 * @param cursorLifetime             CURSOR_LIFETIME: how long a list_items cursor stays exact (sort history kept so long)
 */
@Context
@ConfigurationProperties("backlogmcp")
public record BacklogSettings(
        String serviceTokenSecret,
        @Nullable String serviceTokenSecretPrevious,
        @Bindable(defaultValue = "http://localhost:8081") String authIssuer,
        @Bindable(defaultValue = "7d") Duration invitationTtl,
        @Bindable(defaultValue = "24h") Duration cursorLifetime) {

    /** The shortest secret HS256 keys may be (RFC 7518 §3.2: at least the hash's 256 bits). */
    public static final int SECRET_MIN_BYTES = 32;

    public BacklogSettings {
        requireSecret(serviceTokenSecret, "SERVICE_TOKEN_SECRET");
        if (serviceTokenSecretPrevious != null && !serviceTokenSecretPrevious.isBlank()) {
            requireSecret(serviceTokenSecretPrevious, "SERVICE_TOKEN_SECRET_PREVIOUS");
        }
        requireHttpUrl(authIssuer, "AUTH_ISSUER");
        requirePositive(invitationTtl, "INVITATION_TTL");
        requirePositive(cursorLifetime, "CURSOR_LIFETIME");
    }

    /** {@link #authIssuer()} without a trailing slash, ready for a path to be appended. */
    public String authIssuerBase() {
        return authIssuer.endsWith("/") ? authIssuer.substring(0, authIssuer.length() - 1) : authIssuer;
    }

    static void requireSecret(@Nullable String value, String variable) {
        if (value == null || value.getBytes(StandardCharsets.UTF_8).length < SECRET_MIN_BYTES) {
            throw new IllegalArgumentException(variable + " must be at least " + SECRET_MIN_BYTES + " bytes");
        }
    }

    static void requirePositive(@Nullable Duration value, String variable) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(variable + " must be a positive duration (e.g. 10s, 7d), not " + value);
        }
    }

    private static void requireHttpUrl(@Nullable String value, String variable) {
        URI uri;
        try {
            uri = value == null ? null : URI.create(value);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new IllegalArgumentException(variable + " must be an absolute http(s) URL, not " + value);
        }
    }
}
