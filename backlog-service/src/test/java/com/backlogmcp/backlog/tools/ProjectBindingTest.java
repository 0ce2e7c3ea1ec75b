package com.backlogmcp.backlog.tools;

import com.backlogmcp.backlog.Fixtures;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every id an argument names must belong to the calling project: an id of another project answers NOT_FOUND with
 * the same message shape as an id that does not exist, and nothing is changed.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProjectBindingTest extends ToolTestSupport {

    Fixtures.TestProject mine;
    Fixtures.TestProject theirs;
    String myItem;
    String theirItem;
    String theirRelease;
    String theirConversation;

    @BeforeAll
    void projects() {
        mine = fixtures().project();
        theirs = fixtures().project();
        myItem = createItem(mine, "mine");
        theirItem = createItem(theirs, "theirs");
        theirRelease = (String) map(ok("create_release", theirs, theirs.member(), Map.of("name", "r")).get("release")).get("id");
        theirConversation = conversation(theirs, "theirs");
    }

    Map<String, Map<String, Object>> foreignCalls() {
        Map<String, Map<String, Object>> calls = new LinkedHashMap<>();
        calls.put("get_item", Map.of("id", theirItem));
        calls.put("update_item", Map.of("id", theirItem, "title", "hijacked"));
        calls.put("update_items", Map.of("items", List.of(Map.of("id", myItem, "title", "mine"), Map.of("id", theirItem, "title", "hijacked"))));
        calls.put("update_item#parent", Map.of("id", myItem, "parentId", theirItem));
        calls.put("update_item#release", Map.of("id", myItem, "releaseId", theirRelease));
        calls.put("update_item#assignee", Map.of("id", myItem, "assigneeId", theirs.member()));
        calls.put("create_item#parent", Map.of("title", "x", "parentId", theirItem));
        calls.put("create_item#release", Map.of("title", "x", "releaseId", theirRelease));
        calls.put("create_item#owner", Map.of("title", "x", "ownerIds", List.of(theirs.owner())));
        calls.put("list_items#release", Map.of("releaseId", theirRelease));
        calls.put("list_items#parent", Map.of("parentId", theirItem));
        calls.put("list_comments", Map.of("itemId", theirItem));
        calls.put("add_comment", Map.of("itemId", theirItem, "body", "x"));
        calls.put("list_notes", Map.of("itemId", theirItem));
        calls.put("add_note", Map.of("itemId", theirItem, "body", "x"));
        calls.put("get_conversation", Map.of("id", theirConversation));
        calls.put("reply_to_conversation", Map.of("id", theirConversation, "body", "x"));
        calls.put("close_conversation", Map.of("id", theirConversation));
        calls.put("update_member_role", Map.of("userId", theirs.member(), "role", "viewer"));
        calls.put("remove_member", Map.of("userId", theirs.member()));
        calls.put("create_release", Map.of("name", "x", "itemIds", List.of(theirItem)));
        calls.put("update_release", Map.of("id", theirRelease, "name", "hijacked"));
        calls.put("link_external_task", Map.of("itemId", theirItem, "system", "github", "externalId", "1"));
        return calls;
    }

    @Test
    void everyIdArgumentWhenFromAnotherProjectThenNotFoundLikeAMissingId() {
        foreignCalls().forEach((key, args) -> {
            String tool = key.contains("#") ? key.substring(0, key.indexOf('#')) : key;
            var reply = call(tool, mine, mine.owner(), args);
            assertEquals("NOT_FOUND", reply.errorType(), key + ": " + reply.body());
            // next_action (where there is one) names the same call for a foreign id as for a missing one
            assertEquals(List.of("error_type", "message", "hint"), List.copyOf(reply.content().keySet()).subList(0, 3), key);
            assertTrue(reply.content().keySet().size() == 3 || reply.content().containsKey("next_action"), key);
        });
    }

    @Test
    void foreignIdWhenRefusedThenTheirDataUnchanged() {
        everyIdArgumentWhenFromAnotherProjectThenNotFoundLikeAMissingId();
        var item = map(ok("get_item", theirs, theirs.viewer(), Map.of("id", theirItem)).get("item"));
        assertEquals("theirs", text(item.get("title")));
        assertEquals(1, ((Number) item.get("version")).intValue());
        assertEquals(4, rows(ok("list_members", theirs, theirs.viewer(), Map.of()).get("members")).size());
        assertEquals(0, rows(ok("list_comments", theirs, theirs.viewer(), Map.of("itemId", theirItem)).get("comments")).size());
        assertEquals("open", map(ok("get_conversation", theirs, theirs.member(), Map.of("id", theirConversation)).get("conversation")).get("status"));
    }

    @Test
    void missingIdWhenLookedUpThenSameAnswerShapeAsForeignId() {
        var missing = call("get_item", mine, mine.owner(), Map.of("id", "itm_doesnotexist"));
        var foreign = call("get_item", mine, mine.owner(), Map.of("id", theirItem));
        assertEquals(missing.errorType(), foreign.errorType());
        assertEquals(((String) missing.content().get("message")).replace("itm_doesnotexist", "ID"),
                ((String) foreign.content().get("message")).replace(theirItem, "ID"));
    }
}
