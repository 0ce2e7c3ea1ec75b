package com.backlogmcp.backlog.config;

import com.backlogmcp.backlog.TestStack;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A bad setting stops backlog-service at start-up, with a message naming the environment variable to fix. */
class SettingsValidationTest {

    private static final String SECRET = TestStack.SERVICE_SECRET;

    @Test
    void startWhenServiceTokenSecretTooShortThenRefusesNamingTheVariable() {
        Map<String, Object> properties = new HashMap<>(TestStack.properties());
        properties.put("backlogmcp.service-token-secret", "too-short");
        // The context never serves a call: keep what it opens before failing small.
        properties.put("datasources.default.maximum-pool-size", "1");
        properties.put("flyway.datasources.default.enabled", "false");
        ApplicationContext context = ApplicationContext.builder().properties(properties).build();
        RuntimeException failure;
        try {
            failure = assertThrows(RuntimeException.class, context::start);
        } finally {
            context.stop();
        }
        assertTrue(messages(failure).contains("SERVICE_TOKEN_SECRET must be at least 32 bytes"), messages(failure));
    }

    @Test
    void settingsWhenSecretsAndDurationsValidThenKeptAsGiven() {
        BacklogSettings settings = new BacklogSettings(SECRET, "", "https://auth.example.com/", Duration.ofDays(7), Duration.ofHours(24));
        assertEquals("https://auth.example.com", settings.authIssuerBase());
        assertEquals(Duration.ofDays(7), settings.invitationTtl());
        assertEquals(Duration.ofSeconds(10), new OutboxSettings(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofDays(7)).sendTimeout());
    }

    @Test
    void settingsWhenAnySettingBadThenTheMessageNamesItsVariable() {
        Duration day = Duration.ofDays(1);
        assertRefused("SERVICE_TOKEN_SECRET ", () -> new BacklogSettings(null, null, "http://localhost:8081", day, day));
        assertRefused("SERVICE_TOKEN_SECRET_PREVIOUS", () -> new BacklogSettings(SECRET, "old", "http://localhost:8081", day, day));
        assertRefused("AUTH_ISSUER", () -> new BacklogSettings(SECRET, null, "localhost:8081", day, day));
        assertRefused("AUTH_ISSUER", () -> new BacklogSettings(SECRET, null, "ftp://localhost", day, day));
        assertRefused("INVITATION_TTL", () -> new BacklogSettings(SECRET, null, "http://localhost:8081", Duration.ZERO, day));
        assertRefused("CURSOR_LIFETIME", () -> new BacklogSettings(SECRET, null, "http://localhost:8081", day, Duration.ofSeconds(-1)));
        assertRefused("OUTBOX_POLL_INTERVAL", () -> new OutboxSettings(Duration.ZERO, day, day));
        assertRefused("OUTBOX_SEND_TIMEOUT", () -> new OutboxSettings(day, null, day));
        assertRefused("OUTBOX_RETENTION", () -> new OutboxSettings(day, day, Duration.ofMillis(-5)));
    }

    private static void assertRefused(String variable, Runnable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
        assertTrue(e.getMessage().startsWith(variable), e.getMessage());
    }

    private static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append(" | ");
        }
        return all.toString();
    }
}
