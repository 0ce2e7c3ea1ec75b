package com.backlogmcp.backlog.tools;

import com.backlogmcp.backlog.Fixtures;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** list_items keyset paging: every item exactly once, newest-updated first, even while items change mid-paging. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PagingTest extends ToolTestSupport {

    static final int ITEMS = 250;

    /** 250 items with distinct, spread-out update times, inserted in one statement. */
    Fixtures.TestProject projectWithItems() {
        var p = fixtures().project();
        fixtures().sql(sql -> {
            sql.update("""
                    INSERT INTO items (id, project_id, number, type, title, status, priority, created_at, updated_at)
                    SELECT 'itm_' || ? || '_' || n, ?, n, 'task', 'Item ' || n, 'open', 'medium',
                           now() - interval '2 days', now() - make_interval(mins => 300 - n)
                      FROM generate_series(1, ?) n""", p.projectId().substring(4), p.projectId(), ITEMS);
            // A few share one timestamp: the id breaks the tie.
            sql.update("UPDATE items SET updated_at = now() - interval '1 day' WHERE project_id = ? AND number BETWEEN 100 AND 110",
                    p.projectId());
            sql.update("UPDATE projects SET item_seq = ? WHERE id = ?", ITEMS, p.projectId());
        });
        return p;
    }

    List<Map<String, Object>> page(Fixtures.TestProject p, String cursor, int limit) {
        Map<String, Object> args = new HashMap<>(Map.of("limit", limit));
        if (cursor != null) {
            args.put("cursor", cursor);
        }
        var result = ok("list_items", p, p.viewer(), args);
        var rows = new ArrayList<>(rows(result.get("items")));
        rows.add(Map.of("_cursor", String.valueOf(result.get("nextCursor"))));
        return rows;
    }

    @Test
    void listItemsWhen250ItemsPagedBy40ThenEachExactlyOnceNewestFirst() {
        var p = projectWithItems();
        List<String> seen = new ArrayList<>();
        List<String> times = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var rows = page(p, cursor, 40);
            var last = rows.remove(rows.size() - 1);
            rows.forEach(r -> {
                seen.add((String) r.get("id"));
                times.add((String) r.get("updatedAt"));
            });
            cursor = "null".equals(last.get("_cursor")) ? null : (String) last.get("_cursor");
            pages++;
        } while (cursor != null);
        assertEquals(7, pages);
        assertEquals(ITEMS, seen.size());
        assertEquals(ITEMS, new HashSet<>(seen).size());
        for (int i = 1; i < times.size(); i++) {
            assertTrue(times.get(i - 1).compareTo(times.get(i)) >= 0, "newest-updated first at " + i);
        }
    }

    @Test
    void listItemsWhenItemsUpdatedBetweenPagesThenNoneSkippedNorRepeated() {
        var p = projectWithItems();
        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        String cursor = null;
        int page = 0;
        do {
            var rows = page(p, cursor, 30);
            var last = rows.remove(rows.size() - 1);
            for (var r : rows) {
                assertTrue(seen.add((String) r.get("id")), "repeated " + r.get("id") + " on page " + page);
                order.add((String) r.get("id"));
            }
            // Between pages, touch items not yet returned (they would jump to the front) and items already returned.
            int n = page;
            fixtures().sql(sql -> sql.update("""
                    UPDATE items SET title = title || ' *' WHERE project_id = ? AND number IN (?, ?, ?)""",
                    p.projectId(), 5 + n, 120 - n * 3, 249 - n));
            ok("update_item", p, p.member(), Map.of("id", "itm_" + p.projectId().substring(4) + "_" + (60 + page), "priority", "high"));
            cursor = "null".equals(last.get("_cursor")) ? null : (String) last.get("_cursor");
            page++;
        } while (cursor != null);
        assertEquals(ITEMS, seen.size(), "every item exactly once");
        // A fresh listing now shows the touched items first.
        var fresh = page(p, null, 5);
        assertTrue(((Map<?, ?>) fresh.get(0)).get("updatedAt").toString().compareTo("2020") > 0);
    }

    @Test
    void listItemsWhenNewItemsCreatedDuringPagingThenExistingOnesStillExactlyOnce() {
        var p = projectWithItems();
        Set<String> seen = new HashSet<>();
        String cursor = null;
        do {
            var rows = page(p, cursor, 50);
            var last = rows.remove(rows.size() - 1);
            rows.forEach(r -> assertTrue(seen.add((String) r.get("id")), "repeated " + r.get("id")));
            createItem(p, "created while paging");
            cursor = "null".equals(last.get("_cursor")) ? null : (String) last.get("_cursor");
        } while (cursor != null);
        long original = seen.stream().filter(id -> !id.startsWith("itm_") || id.contains("_" + p.projectId().substring(4) + "_")).count();
        assertEquals(ITEMS, original);
    }

    @Test
    void listItemsWhenCursorReusedWithOtherFiltersThenValidationError() {
        var p = projectWithItems();
        var result = ok("list_items", p, p.viewer(), Map.of("limit", 10));
        String cursor = (String) result.get("nextCursor");
        assertEquals("VALIDATION_ERROR", fail("list_items", p, p.viewer(), Map.of("cursor", cursor, "status", List.of("done"))));
    }

    @Test
    void listItemsWhenLastPageThenNoNextCursor() {
        var p = fixtures().project();
        createItem(p, "only");
        assertNull(ok("list_items", p, p.viewer(), Map.of()).get("nextCursor"));
    }
}
