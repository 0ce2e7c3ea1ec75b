package com.backlogmcp.backlog.tools;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Argument values PostgreSQL (or our Java code) cannot hold, whatever the schema says: text with a NUL character
 * (text columns refuse {@code \u0000}) or an unpaired UTF-16 surrogate (JSON lets {@code "\ud800"} through; it is no
 * character at all), and integers beyond 64 bits (they would silently wrap). Found before anything runs, so such input
 * is a VALIDATION_ERROR naming the field, never a database error.
 */
final class StorableText {

    /** The field and why it cannot be stored. */
    record Problem(String field, String reason) {
    }

    private StorableText() {
    }

    /** The first value (or property name) that cannot be stored, if any. */
    static Optional<Problem> firstUnstorable(JsonNode node, String path) {
        if (node == null) {
            return Optional.empty();
        }
        if (node.isTextual()) {
            return storable(node.textValue()) ? Optional.empty()
                    : Optional.of(new Problem(path, "contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored"));
        }
        if (node.isIntegralNumber() && !node.canConvertToLong()) {
            return Optional.of(new Problem(path, "is out of range"));
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Optional<Problem> found = firstUnstorable(node.get(i), path + "[" + i + "]");
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if (!storable(e.getKey())) {
                    return Optional.of(new Problem(path.isEmpty() ? "arguments" : path, "has a property name that cannot be stored"));
                }
                Optional<Problem> found = firstUnstorable(e.getValue(), child);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    static boolean storable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\u0000') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
