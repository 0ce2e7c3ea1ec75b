package com.backlogmcp.backlog.items;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Search snippets built in Java from the query's lexemes: a window of words around the first match with every
 * matching word in **bold**. PostgreSQL's ts_headline re-parses each text with the dictionary and was the most
 * expensive part of a search; a word here matches when it starts with a query lexeme (English stems are prefixes
 * of their words in the common cases: invoic → invoices, export → exporting).
 */
final class Snippets {

    static final int BEFORE = 8;
    static final int WORDS = 30;
    private static final Pattern LEXEME = Pattern.compile("'((?:[^']|'')+)'");

    private Snippets() {
    }

    /** The lexemes of a tsquery as {@code querytree()} prints it, e.g. {@code 'invoic' & 'export'}. */
    static List<String> lexemes(String querytree) {
        List<String> out = new ArrayList<>();
        if (querytree == null) {
            return out;
        }
        Matcher m = LEXEME.matcher(querytree);
        while (m.find()) {
            out.add(m.group(1).replace("''", "'").toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /** A snippet of the first text (in order) that contains a match; the start of the first text otherwise. */
    static String of(List<String> lexemes, String... texts) {
        for (String text : texts) {
            if (text == null || text.isBlank()) {
                continue;
            }
            String[] words = text.strip().split("\\s+");
            for (int i = 0; i < words.length; i++) {
                if (matches(words[i], lexemes)) {
                    return window(words, i, lexemes);
                }
            }
        }
        for (String text : texts) {
            if (text != null && !text.isBlank()) {
                return window(text.strip().split("\\s+"), 0, lexemes);
            }
        }
        return "";
    }

    private static String window(String[] words, int hit, List<String> lexemes) {
        int start = Math.max(0, hit - BEFORE);
        int end = Math.min(words.length, start + WORDS);
        StringBuilder s = new StringBuilder(start > 0 ? "… " : "");
        for (int i = start; i < end; i++) {
            if (i > start) {
                s.append(' ');
            }
            s.append(matches(words[i], lexemes) ? "**" + words[i] + "**" : words[i]);
        }
        return s.append(end < words.length ? " …" : "").toString();
    }

    static boolean matches(String word, List<String> lexemes) {
        String normal = word.toLowerCase(Locale.ROOT).replaceAll("^[^\\p{L}\\p{N}]+", "");
        for (String lexeme : lexemes) {
            if (!lexeme.isEmpty() && normal.startsWith(lexeme)) {
                return true;
            }
        }
        return false;
    }
}
