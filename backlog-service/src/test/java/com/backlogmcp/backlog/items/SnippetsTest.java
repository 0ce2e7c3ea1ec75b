package com.backlogmcp.backlog.items;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SnippetsTest {

    @Test
    void lexemesWhenQuerytreeThenQuotedTermsInOrder() {
        assertEquals(List.of("invoic", "export", "o'neil"), Snippets.lexemes("'invoic' & 'export' | !'o''neil'"));
        assertEquals(List.of(), Snippets.lexemes("T"));
    }

    @Test
    void snippetWhenMatchDeepInTextThenWindowAroundItWithBoldMatches() {
        String text = "one two three four five six seven eight nine ten Exporting invoices fails eleven twelve";
        assertEquals("… three four five six seven eight nine ten **Exporting** **invoices** fails eleven twelve",
                Snippets.of(List.of("invoic", "export"), text));
    }

    @Test
    void snippetWhenNoMatchInFirstTextThenNextTextElseStartOfFirst() {
        assertEquals("**Invoice** export", Snippets.of(List.of("invoic"), "nothing here", "Invoice export"));
        assertEquals("nothing here", Snippets.of(List.of("zzz"), "nothing here", "Invoice export"));
    }

    @Test
    void snippetWhenLongTextThenCutWithEllipsis() {
        String text = "match " + "word ".repeat(100);
        String snippet = Snippets.of(List.of("match"), text);
        assertEquals(Snippets.WORDS, snippet.replace(" …", "").split(" ").length);
        assertEquals(true, snippet.endsWith(" …"));
    }
}
