package com.backlogmcp.backlog.tools;

import com.backlogmcp.backlog.Fixtures;
import com.backlogmcp.backlog.support.ConnectionQueries;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The append-only change log: what get_item_history and list_activity show, and what the database guarantees. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ItemHistoryTest extends ToolTestSupport {

    private Map<String, Object> viaClient(String tool, Fixtures.TestProject p, String user, String clientId,
                                          Map<String, Object> args) {
        var r = internal().tool(tool, p.projectId(), user, clientId, args);
        assertEquals(200, r.status(), () -> r.body().toString());
        assertFalse(r.isError(), () -> r.body().toString());
        return r.content();
    }

    @Test
    void updateItemWhenFieldsChangeThenOneEntryPerFieldWithOldNewWhoAndClientNewestFirst() {
        var p = fixtures().project();
        String id = (String) map(viaClient("create_item", p, p.member(), "cli_cursor",
                Map.of("title", "Export button", "labels", List.of("ui"))).get("item")).get("id");
        viaClient("update_item", p, p.admin(), "api_key:key_123",
                Map.of("id", id, "status", "in_progress", "addLabels", List.of("export"), "title", "Export fails"));

        var changes = rows(ok("get_item_history", p, p.viewer(), Map.of("id", id)).get("changes"));
        // One update writes its fields in a fixed order; newest first reverses it.
        assertEquals(List.of("labels", "status", "title", "created"),
                changes.stream().map(c -> (String) c.get("field")).toList());
        var status = changes.stream().filter(c -> c.get("field").equals("status")).findFirst().orElseThrow();
        assertEquals("open", status.get("from"));
        assertEquals("in_progress", status.get("to"));
        assertEquals(p.admin(), status.get("actorId"));
        assertEquals("admin " + p.projectId().substring(4), text(status.get("actorName")));
        assertEquals("api_key:key_123", status.get("clientId"));
        var title = changes.stream().filter(c -> c.get("field").equals("title")).findFirst().orElseThrow();
        assertEquals("Export button", text(title.get("from")));
        assertEquals("Export fails", text(title.get("to")));
        var labels = changes.stream().filter(c -> c.get("field").equals("labels")).findFirst().orElseThrow();
        assertEquals(List.of("ui"), labels.get("from"));
        assertEquals(List.of("export", "ui"), labels.get("to"));
        var created = changes.get(changes.size() - 1);
        assertEquals("created", created.get("field"));
        assertEquals(p.member(), created.get("actorId"));
        assertEquals("cli_cursor", created.get("clientId"));
        assertEquals("Export button", text(map(created.get("to")).get("title")));
    }

    @Test
    void updateItemWhenNothingActuallyChangesThenNoEntry() {
        var p = fixtures().project();
        String id = createItem(p, "Same");
        ok("update_item", p, p.member(), Map.of("id", id, "title", "Same", "status", "open"));
        assertEquals(1, rows(ok("get_item_history", p, p.viewer(), Map.of("id", id)).get("changes")).size());
    }

    @Test
    void historyWhenPagedThenEveryChangeOnceNewestFirst() {
        var p = fixtures().project();
        String id = createItem(p, "Paged");
        for (String priority : List.of("high", "low", "critical", "medium")) {
            ok("update_item", p, p.member(), Map.of("id", id, "priority", priority));
        }
        List<Long> seqs = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> args = cursor == null ? Map.of("id", id, "limit", 2) : Map.of("id", id, "limit", 2, "cursor", cursor);
            var page = ok("get_item_history", p, p.viewer(), args);
            rows(page.get("changes")).forEach(c -> seqs.add(((Number) c.get("seq")).longValue()));
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
        assertEquals(5, seqs.size());
        assertEquals(seqs.stream().sorted((x, y) -> Long.compare(y, x)).toList(), seqs);
    }

    @Test
    void historyWhenItemOfAnotherProjectThenNotFoundAndCursorOfAnotherItemRefused() {
        var p = fixtures().project();
        var q = fixtures().project();
        String theirs = createItem(q, "Theirs");
        assertEquals("NOT_FOUND", fail("get_item_history", p, p.viewer(), Map.of("id", theirs)));
        String a = createItem(p, "A");
        String b = createItem(p, "B");
        ok("update_item", p, p.member(), Map.of("id", a, "priority", "high"));
        String cursor = (String) ok("get_item_history", p, p.viewer(), Map.of("id", a, "limit", 1)).get("nextCursor");
        assertEquals("VALIDATION_ERROR", fail("get_item_history", p, p.viewer(), Map.of("id", b, "cursor", cursor)));
    }

    @Test
    void changeWhenTransactionRollsBackThenNoHistoryEntry() {
        var p = fixtures().project();
        String id = createItem(p, "Rolled back");
        assertThrows(IllegalStateException.class, () -> fixtures().sql(sql -> {
            sql.update("UPDATE items SET status = 'done' WHERE id = ?", id);
            throw new IllegalStateException("abort");
        }));
        assertEquals(1, rows(ok("get_item_history", p, p.viewer(), Map.of("id", id)).get("changes")).size());
    }

    @Test
    void historyRowsWhenUpdatedDeletedOrTruncatedThenRefusedByTheDatabase() {
        var p = fixtures().project();
        String id = createItem(p, "Immutable");
        for (String statement : List.of("UPDATE item_history SET actor_id = 'usr_forged' WHERE item_id = ?",
                "DELETE FROM item_history WHERE item_id = ?")) {
            var e = assertThrows(ConnectionQueries.DataAccessFailure.class, () -> fixtures().sql(sql -> sql.update(statement, id)));
            assertEquals("42501", e.sqlState(), statement);
        }
        assertThrows(ConnectionQueries.DataAccessFailure.class, () -> fixtures().sql(sql -> sql.update("TRUNCATE item_history")));
        assertEquals(p.member(), rows(ok("get_item_history", p, p.viewer(), Map.of("id", id)).get("changes")).get(0).get("actorId"));
    }

    @Test
    void commentAndSyncWhenMadeThenInTheHistoryToo() {
        var p = fixtures().project();
        var synced = ok("sync_external_task", p, p.member(), Map.of("system", "github", "externalId", "7", "title", "From GitHub"));
        String id = (String) map(synced.get("item")).get("id");
        ok("sync_external_task", p, p.member(), Map.of("system", "github", "externalId", "7", "title", "From GitHub", "status", "done"));
        String comment = (String) map(ok("add_comment", p, p.member(),
                Map.of("itemId", id, "body", "Looks fixed")).get("comment")).get("id");
        var fields = rows(ok("get_item_history", p, p.viewer(), Map.of("id", id)).get("changes")).stream()
                .map(c -> c.get("field") + "=" + (c.get("to") instanceof Map<?, ?> m && m.containsKey("commentId") ? m.get("commentId") : c.get("to") instanceof String s ? s : "…"))
                .toList();
        assertEquals(List.of("comment=" + comment, "status=done", "created=…"), fields);
    }

    @Test
    void listActivityWhenSinceGivenThenOnlyThisProjectsLaterChangesOldestFirstAndPaged() {
        var p = fixtures().project();
        var other = fixtures().project();
        String early = createItem(p, "Before");
        Instant since = fixtures().query(sql -> sql.one("SELECT clock_timestamp()", rs -> ConnectionQueries.instant(rs, "clock_timestamp")).orElseThrow());
        ok("update_item", p, p.member(), Map.of("id", early, "status", "planned"));
        String later = createItem(p, "After");
        createItem(other, "Elsewhere");

        List<Map<String, Object>> seen = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> args = new java.util.HashMap<>(Map.of("since", since.toString(), "limit", 1));
            if (cursor != null) {
                args.put("cursor", cursor);
            }
            var page = ok("list_activity", p, p.viewer(), args);
            seen.addAll(rows(page.get("changes")));
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
        assertEquals(List.of(early + ":status", later + ":created"),
                seen.stream().map(c -> c.get("itemId") + ":" + c.get("field")).toList());
        assertTrue(seen.stream().allMatch(c -> p.projectId().equals(c.get("projectId"))));
        assertEquals("Before", text(seen.get(0).get("itemTitle")));
    }

    @Test
    void listActivityWhenSinceIsNotATimeThenValidationErrorOnSince() {
        var p = fixtures().project();
        var r = call("list_activity", p, p.viewer(), Map.of("since", "yesterday"));
        assertTrue(r.isError());
        assertEquals("VALIDATION_ERROR", r.errorType());
        assertEquals("since", r.content().get("field"));
    }

    @Test
    void changeWhenMadeOutsideAToolThenNoClientAndNoLeakIntoTheNextTransaction() {
        var p = fixtures().project();
        String id = createItem(p, "Outside");
        viaClient("update_item", p, p.member(), "cli_one", Map.of("id", id, "priority", "high"));
        fixtures().sql(sql -> sql.update("UPDATE items SET priority = 'low' WHERE id = ?", id));
        var latest = rows(ok("get_item_history", p, p.viewer(), Map.of("id", id, "limit", 1)).get("changes")).get(0);
        assertEquals("priority", latest.get("field"));
        assertNull(latest.get("clientId"));
        assertNull(latest.get("actorId"));
    }
}
