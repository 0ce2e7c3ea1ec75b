package com.backlogmcp.backlog.support;


import java.nio.charset.StandardCharsets;
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
            List<String> fields = List.of(text.split("\\|", -1));
            if (fields.size() != parts + 1 || !fields.get(0).equals(kind)) {
                throw new IllegalArgumentException();
            }
            return fields.subList(1, fields.size());
        } catch (IllegalArgumentException e) {
            throw ToolFailure.invalid("cursor", "is not a cursor of this list; pass nextCursor from the previous page");
        }
    }

    public static long number(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ToolFailure.invalid("cursor", "is not a cursor of this list; pass nextCursor from the previous page");
        }
    }
}
