package com.backlogmcp.audit.auditlog;

import com.backlogmcp.audit.web.InvalidRequestException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * Keyset position in the newest-first order (at, eventId): stable while rows arrive, unlike an offset.
 * Opaque to callers (base64url of {@code epochMicros|eventId}).
 */
record PageCursor(Instant at, String eventId) {

    String encode() {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((micros + "|" + eventId).getBytes(StandardCharsets.UTF_8));
    }

    static PageCursor decode(String cursor) {
        try {
            if (cursor.length() > 400) {
                throw new IllegalArgumentException("too long");
            }
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int bar = raw.indexOf('|');
            long micros = Long.parseLong(raw.substring(0, bar));
            String eventId = raw.substring(bar + 1);
            if (eventId.isEmpty()) {
                throw new IllegalArgumentException("no event id");
            }
            return new PageCursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), eventId);
        } catch (RuntimeException e) {
            throw new InvalidRequestException("cursor is not one this service issued");
        }
    }
}
