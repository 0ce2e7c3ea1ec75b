package com.backlogmcp.auth.support;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How pages show an instant: minutes, UTC, unambiguous. */
public final class Times {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private Times() {
    }

    public static String display(Instant instant) {
        return instant == null ? "" : FORMAT.format(instant);
    }
}
