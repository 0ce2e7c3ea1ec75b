package com.backlogmcp.mcp.protocol;

import io.micronaut.core.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Cursor pagination of the list answers (tools, resources, prompts): the cursor is an opaque token holding the next offset. */
public final class Pages {

    public record Page<T>(List<T> items, @Nullable String nextCursor) {
    }

    private static final String PREFIX = "o:";

    private Pages() {
    }

    public static <T> Page<T> page(List<T> all, @Nullable String cursor, int size) {
        int offset = cursor == null ? 0 : decode(cursor);
        if (offset > all.size()) {
            throw McpError.invalidParams("Invalid cursor");
        }
        int end = Math.min(all.size(), offset + size);
        String next = end < all.size() ? encode(end) : null;
        return new Page<>(all.subList(offset, end), next);
    }

    private static String encode(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int decode(String cursor) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!s.startsWith(PREFIX)) {
                throw McpError.invalidParams("Invalid cursor");
            }
            int offset = Integer.parseInt(s.substring(PREFIX.length()));
            if (offset < 0) {
                throw McpError.invalidParams("Invalid cursor");
            }
            return offset;
        } catch (IllegalArgumentException e) {
            throw McpError.invalidParams("Invalid cursor");
        }
    }
}
