package com.backlogmcp.backlog.support;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers for building the JSON objects tools return. Timestamps are RFC 3339 UTC strings. */
public final class ResultMaps {
    private ResultMaps() {
    }

    public static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    public static String date(LocalDate date) {
        return date == null ? null : date.toString();
    }

    /** An ordered map from alternating keys and values; null values are kept (they say "not set"). */
    public static Map<String, Object> of(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    /**
     * Picks the keys of a row a caller asked for: {@code fields} when given (always with {@code id}), else every
     * key when {@code verbose}, else the compact keys of the row's kind.
     */
    public static Map<String, Object> pick(Map<String, Object> full, List<String> compactKeys, boolean verbose,
                                           List<String> fields) {
        if (fields != null && !fields.isEmpty()) {
            Map<String, Object> out = new LinkedHashMap<>();
            if (full.containsKey("id")) {
                out.put("id", full.get("id"));
            }
            for (String f : fields) {
                if (full.containsKey(f)) {
                    out.put(f, full.get(f));
                }
            }
            return out;
        }
        if (verbose) {
            return full;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : compactKeys) {
            if (full.containsKey(k)) {
                out.put(k, full.get(k));
            }
        }
        return out;
    }
}
