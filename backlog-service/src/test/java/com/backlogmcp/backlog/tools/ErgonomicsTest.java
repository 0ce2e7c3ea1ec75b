package com.backlogmcp.backlog.tools;

import com.backlogmcp.backlog.Fixtures;
import com.backlogmcp.backlog.Internal;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dry_run on write tools, next_action on failures, and the all-or-nothing update_items. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErgonomicsTest extends ToolTestSupport {

    private Map<String, Object> item(Fixtures.TestProject p, String id) {
        return map(ok("get_item", p, p.viewer(), Map.of("id", id)).get("item"));
    }

    private int historyOf(Fixtures.TestProject p, String id) {
        return rows(ok("get_item_history", p, p.viewer(), Map.of("id", id)).get("changes")).size();
    }

    private Map<String, Object> failure(String tool, Fixtures.TestProject p, String user, Map<String, Object> args) {
        Internal.Reply r = call(tool, p, user, args);
        assertTrue(r.isError(), () -> tool + " should have failed: " + r.body());
        return r.content();
    }

    @Test
    void dryRunWhenCreatingThenAnswerShowsTheItemAndNothingIsWritten() {
        var p = fixtures().project();
        int before = rows(ok("list_items", p, p.viewer(), Map.of()).get("items")).size();
        var answer = ok("create_item", p, p.member(), Map.of("title", "Only a preview", "priority", "high", "dry_run", true));
        assertEquals(true, answer.get("dry_run"));
        assertEquals("high", map(answer.get("item")).get("priority"));
        assertEquals(before, rows(ok("list_items", p, p.viewer(), Map.of()).get("items")).size(), "no item was created");
        var real = ok("create_item", p, p.member(), Map.of("title", "For real"));
        assertNull(real.get("dry_run"), "a real call does not say dry_run");
    }

    @Test
    void dryRunWhenUpdatingThenAnswerShowsTheChangeButItemAndHistoryUnchanged() {
        var p = fixtures().project();
        String id = createItem(p, "Dry");
        var answer = ok("update_item", p, p.member(), Map.of("id", id, "status", "in_progress", "dry_run", true));
        assertEquals("in_progress", map(answer.get("item")).get("status"));
        assertEquals(true, answer.get("dry_run"));
        assertEquals("open", item(p, id).get("status"));
        assertEquals(1, historyOf(p, id), "only the creation is in the history");
        assertEquals(1L, ((Number) item(p, id).get("version")).longValue());
    }

    @Test
    void dryRunWhenInvalidThenTheSameRefusalAsTheRealCall() {
        var p = fixtures().project();
        String id = createItem(p, "Dry invalid");
        Map<String, Object> args = new HashMap<>(Map.of("id", id, "assigneeId", "usr_nobody"));
        var real = failure("update_item", p, p.member(), args);
        args.put("dry_run", true);
        var dry = failure("update_item", p, p.member(), args);
        assertEquals(real.get("error_type"), dry.get("error_type"));
        assertEquals(real.get("message"), dry.get("message"));
    }

    @Test
    void dryRunWhenNotABooleanThenValidationError() {
        var p = fixtures().project();
        assertEquals("VALIDATION_ERROR", fail("create_item", p, p.member(), Map.of("title", "x", "dry_run", "yes")));
        assertEquals("VALIDATION_ERROR", fail("list_items", p, p.viewer(), Map.of("dry_run", true)), "read tools take no dry_run");
    }

    @Test
    void nextActionWhenAssigneeIsNotAMemberThenListMembers() {
        var p = fixtures().project();
        String id = createItem(p, "Assign");
        var f = failure("update_item", p, p.member(), Map.of("id", id, "assigneeId", "usr_nobody"));
        assertEquals("NOT_FOUND", f.get("error_type"));
        assertEquals(Map.of("tool", "list_members", "arguments", Map.of()), f.get("next_action"));
        assertTrue(((String) f.get("hint")).contains("list_members"));
    }

    @Test
    void nextActionWhenItemUnknownThenSearchForIt() {
        var p = fixtures().project();
        var f = failure("update_item", p, p.member(), Map.of("id", "itm_missing", "status", "done"));
        assertEquals(Map.of("tool", "search", "arguments", Map.of("query", "itm_missing")), f.get("next_action"));
    }

    @Test
    void nextActionWhenVersionStaleThenGetItem() {
        var p = fixtures().project();
        String id = createItem(p, "Versioned");
        ok("update_item", p, p.member(), Map.of("id", id, "priority", "low"));
        var f = failure("update_item", p, p.member(), Map.of("id", id, "priority", "high", "expectedVersion", 1));
        assertEquals("CONFLICT", f.get("error_type"));
        assertEquals(Map.of("tool", "get_item", "arguments", Map.of("id", id)), f.get("next_action"));
    }

    @Test
    void updateItemsWhenAllValidThenEachChangedWithItsHistoryInOrder() {
        var p = fixtures().project();
        List<String> ids = List.of(createItem(p, "A"), createItem(p, "B"), createItem(p, "C"));
        var answer = ok("update_items", p, p.member(), Map.of("items", List.of(
                Map.of("id", ids.get(0), "status", "in_progress"),
                Map.of("id", ids.get(1), "priority", "critical", "addLabels", List.of("bulk")),
                Map.of("id", ids.get(2), "title", "C renamed", "expectedVersion", 1))));
        assertEquals(3, answer.get("updated"));
        assertEquals(ids, rows(answer.get("items")).stream().map(i -> i.get("id")).toList());
        assertEquals("in_progress", item(p, ids.get(0)).get("status"));
        assertEquals("critical", item(p, ids.get(1)).get("priority"));
        for (String id : ids) {
            assertTrue(historyOf(p, id) >= 2, "each item has its own history entry beside its creation");
        }
    }

    @Test
    void updateItemsWhenOneEntryFailsThenNothingIsChangedAndTheEntryIsNamed() {
        var p = fixtures().project();
        String a = createItem(p, "Kept A");
        String b = createItem(p, "Kept B");
        var f = failure("update_items", p, p.member(), Map.of("items", List.of(
                Map.of("id", a, "status", "done"),
                Map.of("id", b, "status", "done"),
                Map.of("id", "itm_missing", "status", "done"))));
        assertEquals("NOT_FOUND", f.get("error_type"));
        assertTrue(((String) f.get("message")).startsWith("items[2]: "), (String) f.get("message"));
        assertEquals("search", map(f.get("next_action")).get("tool"));
        assertEquals("open", item(p, a).get("status"));
        assertEquals("open", item(p, b).get("status"));
        assertEquals(1, historyOf(p, a));
    }

    @Test
    void updateItemsWhenTooManyDuplicateOrEmptyThenValidationError() {
        var p = fixtures().project();
        String a = createItem(p, "Dup");
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            many.add(Map.of("id", a, "status", "done"));
        }
        assertEquals("VALIDATION_ERROR", fail("update_items", p, p.member(), Map.of("items", many)));
        assertEquals("VALIDATION_ERROR", fail("update_items", p, p.member(), Map.of("items", List.of())));
        var dup = failure("update_items", p, p.member(), Map.of("items", List.of(Map.of("id", a, "status", "done"),
                Map.of("id", a, "priority", "low"))));
        assertEquals("VALIDATION_ERROR", dup.get("error_type"));
        assertEquals("items[1].id", dup.get("field"));
        assertEquals("open", item(p, a).get("status"));
    }

    @Test
    void updateItemsWhenViewerThenRefusedAndWhenDryRunThenNothingChanged() {
        var p = fixtures().project();
        String a = createItem(p, "Viewer");
        assertTrue(call("update_items", p, p.viewer(), Map.of("items", List.of(Map.of("id", a, "status", "done")))).isError());
        var dry = ok("update_items", p, p.member(), Map.of("items", List.of(Map.of("id", a, "status", "done")), "dry_run", true));
        assertEquals(true, dry.get("dry_run"));
        assertEquals("done", rows(dry.get("items")).getFirst().get("status"));
        assertEquals("open", item(p, a).get("status"));
    }
}
