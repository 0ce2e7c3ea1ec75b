package com.backlogmcp.audit.serviceauth;

import com.backlogmcp.audit.TestStack;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A missing or too-short secret stops the service at start-up, with a message naming the variable to fix. */
class StartupChecksTest {

    @Test
    void startWhenServiceTokenSecretTooShortThenRefusesNamingTheVariable() {
        assertStartRefused("backlogmcp.service-token-secret", "too-short", "SERVICE_TOKEN_SECRET must be at least 32 bytes");
    }

    @Test
    void startWhenPreviousServiceTokenSecretTooShortThenRefusesNamingTheVariable() {
        assertStartRefused("backlogmcp.service-token-secret-previous", "old", "SERVICE_TOKEN_SECRET_PREVIOUS must be at least 32 bytes");
    }

    private static void assertStartRefused(String property, String value, String message) {
        Map<String, Object> properties = new HashMap<>(TestStack.properties());
        properties.put(property, value);
        ApplicationContext context = ApplicationContext.builder().properties(properties).build();
        RuntimeException failure;
        try {
            failure = assertThrows(RuntimeException.class, context::start);
        } finally {
            context.stop();
        }
        StringBuilder messages = new StringBuilder();
        for (Throwable c = failure; c != null; c = c.getCause()) {
            messages.append(c.getMessage()).append(" | ");
        }
        assertTrue(messages.toString().contains(message), messages.toString());
    }
}
