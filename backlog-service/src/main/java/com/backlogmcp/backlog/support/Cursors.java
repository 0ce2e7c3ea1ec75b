package com.backlogmcp.backlog.support;


import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;

/**
 * Opaque cursors: base64url of a few '|'-separated fields, the first naming the kind of list so a cursor of one
 * list cannot be fed to another. A cursor that does not decode is a VALIDATION_ERROR on {@code cursor}.
 */
public final class Cursors {

    private Cursors() {
    }

    public static String encode(String kind, Object... parts) {
        StringBuilder s = new StringBuilder(kind);
        for (Object p : parts) {
            s.append('|').append(p);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static List<String> decode(String kind, String cursor, int parts) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            // Fields reach SQL as parameters: a NUL (which PostgreSQL text refuses) is no cursor of ours.
            if (text.indexOf('\u0000') >= 0) {
                throw new IllegalArgumentException();
            }
            List<String> fields = List.of(text.split("\\|", -1));
            if (fields.size() != parts + 1 || !fields.get(0).equals(kind)) {
                throw new IllegalArgumentException();
            }
            return fields.subList(1, fields.size());
        } catch (IllegalArgumentException e) {
            throw ToolFailure.invalid("cursor", "is not a cursor of this list; pass nextCursor from the previous page");
        }
    }

    /** Latest instant a cursor may carry: PostgreSQL's timestamps end long after, Java's Instant too. */
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /** A cursor field holding microseconds since the epoch, within what PostgreSQL can compare. */
    public static Instant micros(String text) {
        long micros = number(text);
        if (micros < 0 || micros > ChronoUnit.MICROS.between(Instant.EPOCH, LATEST)) {
            throw ToolFailure.invalid("cursor", "is not a cursor of this list; pass nextCursor from the previous page");
        }
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    /** A cursor field holding a row offset. */
    public static int offset(String text) {
        long offset = number(text);
        if (offset < 0 || offset > Integer.MAX_VALUE) {
            throw ToolFailure.invalid("cursor", "is not a cursor of this list; pass nextCursor from the previous page");
        }
        return (int) offset;
    }

    public static long number(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ToolFailure.invalid("cursor", "is not a cursor of this list; pass nextCursor from the previous page");
        }
    }
}
