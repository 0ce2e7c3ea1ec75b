package com.backlogmcp.mcp.protocol;

import java.util.Collection;
import java.util.Map;

/**
 * A JSON value already encoded (UTF-8), placed in a reply body to be written as it is: a tool's output exactly as
 * backlog-service wrote it. Only {@link ReplyEncoder} knows how to write one.
 */
public record RawJson(byte[] bytes) {

    /** Whether {@code body} (maps, lists and plain values, as reply bodies are built) holds a RawJson anywhere. */
    static boolean within(Object body) {
        if (body instanceof RawJson) {
            return true;
        }
        if (body instanceof Map<?, ?> map) {
            for (Object value : map.values()) {
                if (within(value)) {
                    return true;
                }
            }
        } else if (body instanceof Collection<?> items) {
            for (Object item : items) {
                if (within(item)) {
                    return true;
                }
            }
        }
        return false;
    }
}
