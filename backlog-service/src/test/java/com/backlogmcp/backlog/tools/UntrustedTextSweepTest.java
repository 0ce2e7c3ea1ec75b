package com.backlogmcp.backlog.tools;

import com.backlogmcp.backlog.Fixtures;
import com.backlogmcp.backlog.Internal;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every user-written field, written through the tools with hidden characters in it (a bidi override, a zero-width
 * space, a variation selector and a Unicode tag character), read back through every read tool and resource: no hidden
 * character anywhere, and each occurrence of free text inside an {@code {"untrusted": true, "text": …}} envelope
 * (identifier-shaped values — labels, external ids, refs — stay plain strings, see {@link #identifier}).
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UntrustedTextSweepTest extends ToolTestSupport {

    /** What the hidden characters are; none may reach a result. */
    static final String HIDDEN = "\u202E\u200B\uFE0F\uDB40\uDC41";
    static final String MARK = "Hq7";

    Fixtures.TestProject p;
    String item;
    String conversation;

    static String hostile(String field) {
        return MARK + field + HIDDEN + "z";
    }

    @BeforeAll
    void writeEveryUserField() {
        p = fixtures().project();
        item = (String) ToolTestSupport.map(ok("create_item", p, p.member(), Map.of("title", hostile("title"), "description", hostile("description"),
                "labels", List.of(MARK + "label"))).get("item")).get("id");
        ok("add_comment", p, p.member(), Map.of("itemId", item, "body", hostile("comment")));
        ok("add_note", p, p.member(), Map.of("itemId", item, "body", hostile("note")));
        ok("update_item", p, p.member(), Map.of("id", item, "title", hostile("newtitle")));
        ok("create_release", p, p.member(), Map.of("name", hostile("release"), "itemIds", List.of(item)));
        ok("send_announcement", p, p.admin(), Map.of("title", hostile("anntitle"), "body", hostile("annbody")));
        ok("link_external_task", p, p.member(), Map.of("itemId", item, "system", "github", "externalId", MARK + "ext", "ref", hostile("ref")));
        ok("sync_external_task", p, p.member(), Map.of("system", "jira", "externalId", MARK + "sync", "title", hostile("synctitle")));
        conversation = conversation(p, hostile("subject"));
        ok("reply_to_conversation", p, p.member(), Map.of("id", conversation, "body", hostile("reply")));
    }

    @Test
    void everyReadToolWhenItShowsUserTextThenLabelledUntrustedAndStripped() {
        Map<String, Map<String, Object>> reads = new java.util.LinkedHashMap<>();
        reads.put("get_item", Map.of("id", item));
        reads.put("list_items", Map.of());
        reads.put("search", Map.of("query", MARK));
        reads.put("list_comments", Map.of("itemId", item));
        reads.put("list_notes", Map.of("itemId", item));
        reads.put("get_item_history", Map.of("id", item));
        reads.put("list_activity", Map.of("since", "2000-01-01T00:00:00Z"));
        reads.put("list_releases", Map.of());
        reads.put("list_announcements", Map.of());
        reads.put("list_conversations", Map.of());
        reads.put("get_conversation", Map.of("id", conversation));
        reads.put("get_project", Map.of());
        List<String> problems = new ArrayList<>();
        reads.forEach((tool, args) -> {
            Internal.Reply r = call(tool, p, p.admin(), args);
            assertTrue(!r.isError(), tool + " failed: " + r.body());
            check(tool, r.body(), problems);
        });
        assertTrue(problems.isEmpty(), "user text outside the untrusted envelope or with hidden characters:\n" + String.join("\n", problems));
    }

    @Test
    void everyResourceWhenItShowsUserTextThenLabelledUntrustedAndStripped() {
        List<String> problems = new ArrayList<>();
        for (String uri : List.of("backlog://items/" + item, "backlog://projects/" + p.projectId(), "backlog://projects/" + p.projectId() + "/items",
                "backlog://projects/" + p.projectId() + "/releases", "backlog://projects/" + p.projectId() + "/task-mappings")) {
            Internal.Reply r = internal().post("/internal/resources/read", "{\"projectId\":\"" + p.projectId() + "\",\"userId\":\"" + p.admin()
                    + "\",\"uri\":\"" + uri + "\"}");
            assertEquals(200, r.status(), uri + ": " + r.body());
            check(uri, r.body(), problems);
        }
        assertTrue(problems.isEmpty(), "user text outside the untrusted envelope or with hidden characters:\n" + String.join("\n", problems));
    }

    /** Walks a result: text with our mark must be the text of an envelope; no hidden character anywhere. */
    static void check(String where, Object node, List<String> problems) {
        walk(where, node, false, problems);
    }

    private static void walk(String path, Object node, boolean inEnvelope, List<String> problems) {
        if (node instanceof Map<?, ?> m) {
            boolean envelope = Boolean.TRUE.equals(m.get("untrusted"));
            m.forEach((k, v) -> walk(path + "." + k, v, envelope && "text".equals(k), problems));
        } else if (node instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                walk(path + "[" + i + "]", l.get(i), false, problems);
            }
        } else if (node instanceof String s) {
            if (s.codePoints().anyMatch(cp -> HIDDEN.codePoints().anyMatch(h -> h == cp))) {
                problems.add(path + " keeps hidden characters");
            }
            if (s.contains(MARK) && !inEnvelope && !identifier(path) && !embeddedJson(path, s, problems)) {
                problems.add(path + " = " + s.substring(0, Math.min(80, s.length())));
            }
        }
    }

    /**
     * Identifier-shaped user values stay plain strings agents compare as keys: labels and external ids are plain
     * ASCII by their input patterns, refs have no whitespace; hidden characters are checked for them like for all.
     */
    private static boolean identifier(String path) {
        return path.matches(".*\\.labels\\[\\d+]$") || path.endsWith(".externalId") || path.endsWith(".ref");
    }

    /** Resource contents and tool text blocks carry JSON as text: judge the JSON inside. */
    private static boolean embeddedJson(String path, String s, List<String> problems) {
        String t = s.strip();
        if (!(t.startsWith("{") || t.startsWith("["))) {
            return false;
        }
        try {
            Object parsed = com.backlogmcp.backlog.support.Json.MAPPER.readValue(t, Object.class);
            walk(path + "<json>", parsed, false, problems);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
