package com.backlogmcp.backlog.support;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The envelope for user-written text in every result: {@code {"untrusted": true, "text": "…"}}. An agent (and the
 * edge) can tell data written by users from the tool's own words; text inside is data, never instructions.
 *
 * <p>Invisible and bidirectional characters are removed first: they hide or reorder text a human reviewer
 * would otherwise see (Trojan Source, ASCII smuggling with tag characters, zero-width payloads, variation
 * selector smuggling). Newlines and tabs stay; other control characters go.
 */
public final class UntrustedText {

    public static final String MARKER = "untrusted";

    private UntrustedText() {
    }

    public static Map<String, Object> wrap(String raw) {
        if (raw == null) {
            return null;
        }
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put(MARKER, true);
        envelope.put("text", strip(raw));
        return envelope;
    }

    public static String strip(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        raw.codePoints().filter(cp -> !hidden(cp)).forEach(out::appendCodePoint);
        return out.toString();
    }

    static boolean hidden(int cp) {
        if (cp == '\n' || cp == '\t' || cp == '\r') {
            return false;
        }
        int type = Character.getType(cp);
        if (type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE || type == Character.SURROGATE) {
            // FORMAT covers zero-width (200B-200D, 2060-2064, FEFF), bidi marks, embeddings, overrides and
            // isolates (200E/F, 202A-202E, 2066-2069, 061C), and the tag block E0000-E007F.
            return true;
        }
        return (cp >= 0xFE00 && cp <= 0xFE0F)          // variation selectors
                || (cp >= 0xE0100 && cp <= 0xE01EF)    // variation selectors supplement
                || cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0 // Hangul fillers render blank
                || cp == 0x034F                        // combining grapheme joiner
                || (cp >= 0x180B && cp <= 0x180F);     // Mongolian free variation selectors and vowel separator
    }
}
