package com.backlogmcp.backlog.tools;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every tool of the catalog, called the way an agent would, with its result checked. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ToolsHappyPathTest extends ToolTestSupport {

    @Test
    void getProjectWhenItemsExistThenCountsByStatus() {
        var p = fixtures().project();
        createItem(p, "One");
        ok("create_item", p, p.member(), Map.of("title", "Two", "status", "done"));
        var project = map(ok("get_project", p, p.viewer(), Map.of()).get("project"));
        assertEquals(p.projectId(), project.get("id"));
        assertEquals("business", project.get("plan"));
        assertEquals(2L, ((Number) project.get("totalItems")).longValue());
        var done = rows(project.get("statuses")).stream().filter(s -> s.get("status").equals("done")).findFirst().orElseThrow();
        assertEquals(1, ((Number) done.get("count")).intValue());
        assertEquals("Done", done.get("name"));
    }

    @Test
    void listItemsWhenFilteredThenOnlyMatchingNewestFirst() {
        var p = fixtures().project();
        createItem(p, "Plain task");
        ok("create_item", p, p.member(), Map.of("title", "Crash on save", "type", "bug_report", "priority", "high", "labels", List.of("ui")));
        ok("create_item", p, p.member(), Map.of("title", "Crash on load", "type", "bug_report", "labels", List.of("ui", "io")));
        var items = rows(ok("list_items", p, p.viewer(), Map.of("type", List.of("bug_report"))).get("items"));
        assertEquals(List.of("Crash on load", "Crash on save"), items.stream().map(i -> text(i.get("title"))).toList());
        var high = rows(ok("list_items", p, p.viewer(), Map.of("priority", List.of("high"), "label", "ui")).get("items"));
        assertEquals(1, high.size());
        // compact by default; verbose adds every field; fields picks
        assertFalse(items.get(0).containsKey("description"));
        assertTrue(rows(ok("list_items", p, p.viewer(), Map.of("verbose", true)).get("items")).get(0).containsKey("createdAt"));
        var picked = rows(ok("list_items", p, p.viewer(), Map.of("fields", List.of("status"))).get("items")).get(0);
        assertEquals(List.of("id", "status"), List.copyOf(picked.keySet()));
    }

    @Test
    void getItemWhenSubtasksAndMappingsThenAllShown() {
        var p = fixtures().project();
        String parent = createItem(p, "Epic");
        ok("create_item", p, p.member(), Map.of("title", "Child", "parentId", parent, "assigneeId", p.member()));
        ok("link_external_task", p, p.member(), Map.of("itemId", parent, "system", "github", "externalId", "42", "ref", "acme/web#42"));
        var item = map(ok("get_item", p, p.viewer(), Map.of("id", parent)).get("item"));
        assertEquals("Epic", text(item.get("title")));
        assertEquals(1, rows(item.get("subtasks")).size());
        assertEquals("acme/web#42", rows(item.get("externalMappings")).get(0).get("ref"));
    }

    @Test
    void searchWhenWordsInTitleDescriptionOrCommentThenRankedWithSnippets() {
        var p = fixtures().project();
        String inTitle = (String) map(ok("create_item", p, p.member(), Map.of("title", "Invoice export fails",
                "description", "Exporting invoices as PDF fails with a timeout.")).get("item")).get("id");
        String viaComment = createItem(p, "Billing page slow");
        ok("add_comment", p, p.member(), Map.of("itemId", viaComment, "body", "Also the invoice export is slow here."));
        createItem(p, "Unrelated");
        var hits = rows(ok("search", p, p.viewer(), Map.of("query", "invoice export")).get("items"));
        assertEquals(List.of(inTitle, viaComment), hits.stream().map(h -> h.get("id")).toList());
        assertEquals("item", hits.get(0).get("matchedIn"));
        assertEquals("comment", hits.get(1).get("matchedIn"));
        assertTrue(text(hits.get(0).get("snippet")).contains("**"), hits.get(0).toString());
    }

    @Test
    void searchWhenTitleDescriptionAndCommentMatchesThenTitleTierFirstAndPagesJoinAcrossTiers() {
        var p = fixtures().project();
        String title = id(ok("create_item", p, p.member(), Map.of("title", "Quasar drift in the planner")));
        String description = id(ok("create_item", p, p.member(), Map.of("title", "Planner hiccup",
                "description", "quasar quasar quasar: the quasar value drifts every quasar cycle")));
        String comment = createItem(p, "Scheduler hiccup");
        ok("add_comment", p, p.member(), Map.of("itemId", comment, "body", "Looks like a quasar problem."));
        String excluded = id(ok("create_item", p, p.member(), Map.of("title", "Quasar cache",
                "description", "The cache misses.")));

        var all = rows(ok("search", p, p.viewer(), Map.of("query", "quasar")).get("items"));
        assertEquals(List.of(title, excluded, description, comment).stream().sorted().toList(),
                all.stream().map(h -> (String) h.get("id")).sorted().toList());
        assertEquals(java.util.Set.of(title, excluded), java.util.Set.of(all.get(0).get("id"), all.get(1).get("id")),
                "items whose title matches come first, whatever the description repeats");
        assertEquals(List.of(description, comment), List.of(all.get(2).get("id"), all.get(3).get("id")));

        List<Object> paged = new java.util.ArrayList<>();
        Map<String, Object> args = new java.util.HashMap<>(Map.of("query", "quasar", "limit", 1));
        for (int page = 0; page < 10; page++) {
            var result = ok("search", p, p.viewer(), args);
            paged.addAll(rows(result.get("items")).stream().map(h -> h.get("id")).toList());
            if (result.get("nextCursor") == null) {
                break;
            }
            args.put("cursor", result.get("nextCursor"));
        }
        assertEquals(all.stream().map(h -> h.get("id")).toList(), paged, "one row per page, same order, no gaps");

        var withoutCache = rows(ok("search", p, p.viewer(), Map.of("query", "quasar -cache")).get("items"));
        assertEquals(List.of(title, description, comment), withoutCache.stream().map(h -> h.get("id")).toList(),
                "an exclusion matched in the description removes a title match");
    }

    @SuppressWarnings("unchecked")
    private static String id(Map<String, Object> created) {
        return (String) ((Map<String, Object>) created.get("item")).get("id");
    }

    @Test
    void createItemWhenAllFieldsThenStoredWithReporterAndNumber() {
        var p = fixtures().project();
        var item = map(ok("create_item", p, p.member(), Map.of("title", "Add SSO", "type", "feature_request",
                "description", "SAML please", "priority", "critical", "assigneeId", p.admin(),
                "ownerIds", List.of(p.owner()), "labels", List.of("auth", "enterprise"), "verbose", true)).get("item"));
        assertEquals("feature_request", item.get("type"));
        assertEquals("open", item.get("status"));
        assertEquals(p.member(), item.get("reporterId"));
        assertEquals(List.of(p.owner()), item.get("ownerIds"));
        assertEquals(1, ((Number) item.get("number")).intValue());
        assertEquals("SAML please", text(item.get("description")));
    }

    @Test
    void updateItemWhenStatusDoneThenCompletedAtSetAndClearedOnReopen() {
        var p = fixtures().project();
        String id = createItem(p, "Fix it");
        var done = map(ok("update_item", p, p.member(), Map.of("id", id, "status", "done", "verbose", true)).get("item"));
        assertNotNull(done.get("completedAt"));
        assertEquals(2, ((Number) done.get("version")).intValue());
        var reopened = map(ok("update_item", p, p.member(), Map.of("id", id, "status", "open", "title", "Fix it again", "verbose", true)).get("item"));
        assertNull(reopened.get("completedAt"));
        assertEquals("Fix it again", text(reopened.get("title")));
        var cleared = map(ok("update_item", p, p.member(), Map.of("id", id, "addLabels", List.of("x", "y"), "verbose", true)).get("item"));
        assertEquals(List.of("x", "y"), cleared.get("labels"));
    }

    @Test
    void updateItemWhenExpectedVersionStaleThenConflictAndNothingChanged() {
        var p = fixtures().project();
        String id = createItem(p, "Versioned");
        ok("update_item", p, p.member(), Map.of("id", id, "title", "v2"));
        assertEquals("CONFLICT", fail("update_item", p, p.member(), Map.of("id", id, "title", "v3", "expectedVersion", 1)));
        assertEquals("v2", text(map(ok("get_item", p, p.viewer(), Map.of("id", id)).get("item")).get("title")));
    }

    @Test
    void commentsWhenAddedThenListedOldestFirst() {
        var p = fixtures().project();
        String id = createItem(p, "Discuss");
        ok("add_comment", p, p.member(), Map.of("itemId", id, "body", "first"));
        var added = map(ok("add_comment", p, p.admin(), Map.of("itemId", id, "body", "second")).get("comment"));
        assertEquals(p.admin(), added.get("authorId"));
        var comments = rows(ok("list_comments", p, p.viewer(), Map.of("itemId", id)).get("comments"));
        assertEquals(List.of("first", "second"), comments.stream().map(c -> text(c.get("body"))).toList());
    }

    @Test
    void notesWhenAddedThenListedAndNotInComments() {
        var p = fixtures().project();
        String id = createItem(p, "Internal");
        ok("add_note", p, p.member(), Map.of("itemId", id, "body", "customer is on the enterprise plan"));
        assertEquals(1, rows(ok("list_notes", p, p.member(), Map.of("itemId", id)).get("notes")).size());
        assertEquals(0, rows(ok("list_comments", p, p.viewer(), Map.of("itemId", id)).get("comments")).size());
    }

    @Test
    void inboxWhenListedReadRepliedAndClosedThenStateFollows() {
        var p = fixtures().project();
        String conv = conversation(p, "Export broken");
        var list = rows(ok("list_conversations", p, p.member(), Map.of("status", "open")).get("conversations"));
        assertEquals(conv, list.get(0).get("id"));
        var read = ok("get_conversation", p, p.member(), Map.of("id", conv));
        assertEquals("Export broken", text(map(read.get("conversation")).get("subject")));
        assertEquals(1, rows(read.get("messages")).size());
        var replied = ok("reply_to_conversation", p, p.member(), Map.of("id", conv, "body", "Fixed in 2.3"));
        assertEquals("team", map(replied.get("message")).get("authorKind"));
        assertEquals(2, ((Number) map(replied.get("conversation")).get("messageCount")).intValue());
        var closed = map(ok("close_conversation", p, p.member(), Map.of("id", conv)).get("conversation"));
        assertEquals("closed", closed.get("status"));
        assertEquals(0, rows(ok("list_conversations", p, p.member(), Map.of("status", "open")).get("conversations")).size());
    }

    @Test
    void announcementsWhenSentThenListedNewestFirst() {
        var p = fixtures().project();
        ok("send_announcement", p, p.admin(), Map.of("title", "Maintenance", "body", "Sunday 02:00 UTC"));
        ok("send_announcement", p, p.owner(), Map.of("title", "v2.3 is out", "body", "Release notes…"));
        var list = rows(ok("list_announcements", p, p.viewer(), Map.of()).get("announcements"));
        assertEquals(List.of("v2.3 is out", "Maintenance"), list.stream().map(a -> text(a.get("title"))).toList());
    }

    @Test
    void widgetConfigWhenReplacedThenReadBackWithNewVersion() {
        var p = fixtures().project();
        var before = map(ok("get_widget_config", p, p.viewer(), Map.of()).get("widget"));
        assertEquals(0, ((Number) before.get("version")).intValue());
        Map<String, Object> config = Map.of("enabled", true, "position", "bottom-left", "primaryColor", "#112233",
                "itemTypes", List.of("bug_report"), "greeting", "Hi!");
        var after = map(ok("update_widget_config", p, p.admin(), Map.of("config", config, "expectedVersion", 0)).get("widget"));
        assertEquals(1, ((Number) after.get("version")).intValue());
        assertEquals(config, map(after.get("config")));
        // the same document again changes nothing
        var again = map(ok("update_widget_config", p, p.admin(), Map.of("config", config)).get("widget"));
        assertEquals(1, ((Number) again.get("version")).intValue());
        assertEquals("CONFLICT", fail("update_widget_config", p, p.admin(), Map.of("config", config, "expectedVersion", 0)));
    }

    @Test
    void membersWhenInvitedChangedAndRemovedThenListReflectsIt() {
        var p = fixtures().project();
        var invited = map(ok("invite_member", p, p.admin(), Map.of("userId", "usr_new_" + p.projectId(), "role", "member",
                "displayName", "New Person")).get("member"));
        assertEquals("member", invited.get("role"));
        assertEquals("CONFLICT", fail("invite_member", p, p.admin(), Map.of("userId", "usr_new_" + p.projectId(), "role", "viewer")));
        var changed = map(ok("update_member_role", p, p.admin(), Map.of("userId", "usr_new_" + p.projectId(), "role", "admin")).get("member"));
        assertEquals("admin", changed.get("role"));
        assertEquals(5, rows(ok("list_members", p, p.viewer(), Map.of()).get("members")).size());
        var removed = map(ok("remove_member", p, p.admin(), Map.of("userId", "usr_new_" + p.projectId())).get("removed"));
        assertEquals("admin", removed.get("role"));
        assertEquals(4, rows(ok("list_members", p, p.viewer(), Map.of()).get("members")).size());
    }

    @Test
    void membersWhenAdminTouchesOwnerOrLastOwnerLeavesThenRefused() {
        var p = fixtures().project();
        assertEquals("FORBIDDEN", fail("update_member_role", p, p.admin(), Map.of("userId", p.owner(), "role", "member")));
        assertEquals("FORBIDDEN", fail("invite_member", p, p.admin(), Map.of("userId", "usr_x_" + p.projectId(), "role", "owner")));
        assertEquals("CONFLICT", fail("remove_member", p, p.owner(), Map.of("userId", p.owner())));
    }

    @Test
    void releasesWhenCreatedWithItemsAndUpdatedThenCountsFollow() {
        var p = fixtures().project();
        String a = createItem(p, "A");
        String b = createItem(p, "B");
        var release = map(ok("create_release", p, p.member(), Map.of("name", "v1.0", "targetDate", "2026-12-01",
                "itemIds", List.of(a))).get("release"));
        assertEquals(1, ((Number) release.get("itemCount")).intValue());
        String releaseId = (String) release.get("id");
        var updated = map(ok("update_release", p, p.member(), Map.of("id", releaseId, "status", "released",
                "addItemIds", List.of(b), "removeItemIds", List.of(a))).get("release"));
        assertEquals("released", updated.get("status"));
        assertNotNull(updated.get("releasedAt"));
        assertEquals(1, ((Number) updated.get("itemCount")).intValue());
        var listed = rows(ok("list_releases", p, p.viewer(), Map.of()).get("releases"));
        assertEquals(releaseId, listed.get(0).get("id"));
        assertEquals(releaseId, map(ok("get_item", p, p.viewer(), Map.of("id", b)).get("item")).get("releaseId"));
    }

    @Test
    void linkExternalTaskWhenRepeatedThenSameMappingAndOtherItemConflicts() {
        var p = fixtures().project();
        String a = createItem(p, "A");
        String b = createItem(p, "B");
        var first = map(ok("link_external_task", p, p.member(), Map.of("itemId", a, "system", "jira", "externalId", "PROJ-1",
                "url", "https://jira.example.test/browse/PROJ-1")).get("mapping"));
        var again = map(ok("link_external_task", p, p.member(), Map.of("itemId", a, "system", "jira", "externalId", "PROJ-1")).get("mapping"));
        assertEquals(first.get("id"), again.get("id"));
        assertEquals("CONFLICT", fail("link_external_task", p, p.member(), Map.of("itemId", b, "system", "jira", "externalId", "PROJ-1")));
    }

    @Test
    void syncExternalTaskWhenCalledTwiceThenOneItemAndSecondChangesNothing() {
        var p = fixtures().project();
        Map<String, Object> args = Map.of("system", "github", "externalId", "acme/web#7", "title", "Dark mode",
                "type", "feature_request", "status", "planned", "ref", "acme/web#7");
        var first = ok("sync_external_task", p, p.member(), args);
        assertEquals(true, first.get("created"));
        var second = ok("sync_external_task", p, p.member(), args);
        assertEquals(false, second.get("created"));
        assertEquals(false, second.get("changed"));
        assertEquals(map(first.get("item")).get("id"), map(second.get("item")).get("id"));
        var third = ok("sync_external_task", p, p.member(), Map.of("system", "github", "externalId", "acme/web#7",
                "title", "Dark mode", "status", "done"));
        assertEquals(true, third.get("changed"));
        assertEquals("done", map(third.get("item")).get("status"));
        assertEquals(1, rows(ok("list_items", p, p.viewer(), Map.of()).get("items")).size());
    }

    @Test
    void untrustedTextWhenInvisibleOrBidiCharactersThenStrippedInEnvelope() {
        var p = fixtures().project();
        String id = (String) map(ok("create_item", p, p.member(), Map.of("title",
                "Pay\u200Bment \u202Eevil\u202C fix\uDB40\uDC41\uDB40\uDC42 done\uFE0F")).get("item")).get("id");
        var title = map(map(ok("get_item", p, p.viewer(), Map.of("id", id)).get("item")).get("title"));
        assertEquals(true, title.get("untrusted"));
        assertEquals("Payment evil fix done", title.get("text"));
    }
}
