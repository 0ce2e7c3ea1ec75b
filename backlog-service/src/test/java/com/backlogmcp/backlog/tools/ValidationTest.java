package com.backlogmcp.backlog.tools;

import com.backlogmcp.backlog.Internal;
import com.backlogmcp.backlog.Fixtures;
import com.backlogmcp.backlog.catalog.SharedSchemas;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Arguments are checked against the published input schema; the error names the field path and nothing is written. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ValidationTest extends ToolTestSupport {

    Fixtures.TestProject p;

    @BeforeAll
    void project() {
        p = fixtures().project();
    }

    void assertInvalid(String tool, Map<String, Object> args, String field) {
        var r = call(tool, p, p.owner(), args);
        assertEquals("VALIDATION_ERROR", r.errorType(), r.body().toString());
        assertEquals(field, r.content().get("field"), r.body().toString());
        assertTrue(((String) r.content().get("message")).startsWith(field + ": "), r.body().toString());
    }

    @Test
    void createItemWhenTitleOver500CharactersThenValidationErrorOnTitle() {
        assertInvalid("create_item", Map.of("title", "x".repeat(SharedSchemas.TITLE_MAX + 1)), "title");
        ok("create_item", p, p.member(), Map.of("title", "x".repeat(SharedSchemas.TITLE_MAX)));
    }

    @Test
    void createItemWhenDescriptionOverLimitThenValidationErrorOnDescription() {
        assertInvalid("create_item", Map.of("title", "ok", "description", "d".repeat(SharedSchemas.DESCRIPTION_MAX + 1)), "description");
    }

    @Test
    void createItemWhenWrongTypeThenValidationError() {
        assertInvalid("create_item", Map.of("title", 42), "title");
        assertInvalid("list_items", Map.of("limit", "ten"), "limit");
        assertInvalid("update_item", Map.of("id", List.of("itm_x")), "id");
    }

    @Test
    void createItemWhenUnknownEnumThenValidationError() {
        assertInvalid("create_item", Map.of("title", "ok", "type", "epic"), "type");
        assertInvalid("create_item", Map.of("title", "ok", "priority", "urgent"), "priority");
        assertInvalid("list_items", Map.of("status", List.of("open", "blocked")), "status[1]");
    }

    @Test
    void anyToolWhenUnknownArgumentThenValidationErrorNamingIt() {
        assertInvalid("get_project", Map.of("projectId", "prj_other"), "projectId");
        assertInvalid("create_item", Map.of("title", "ok", "colour", "red"), "colour");
    }

    @Test
    void toolWhenRequiredArgumentMissingThenValidationErrorNamingIt() {
        assertInvalid("create_item", Map.of("type", "task"), "title");
        assertInvalid("get_item", Map.of(), "id");
    }

    @Test
    void listWhenLimitOver100OrCursorForgedThenValidationError() {
        assertInvalid("list_items", Map.of("limit", 101), "limit");
        assertInvalid("list_items", Map.of("cursor", "not-a-cursor"), "cursor");
        String commentsCursorShape = java.util.Base64.getUrlEncoder().encodeToString("comments|1|x|y".getBytes());
        assertInvalid("list_items", Map.of("cursor", commentsCursorShape), "cursor");
    }

    @Test
    void nestedWhenInvalidThenPathNamesTheElement() {
        assertInvalid("create_item", Map.of("title", "ok", "labels", List.of("fine", "bad\nlabel")), "labels[1]");
        assertInvalid("update_widget_config", Map.of("config", Map.of("enabled", true, "position", "middle",
                "primaryColor", "#000000", "itemTypes", List.of("bug_report"))), "config.position");
    }

    @Test
    void invalidCallWhenRejectedThenNothingWritten() {
        var before = rows(ok("list_items", p, p.viewer(), Map.of("limit", 100)).get("items")).size();
        call("create_item", p, p.owner(), Map.of("title", "x".repeat(501)));
        assertEquals(before, rows(ok("list_items", p, p.viewer(), Map.of("limit", 100)).get("items")).size());
    }

    @Test
    void argumentsWhenNotAnObjectThenValidationError() {
        var r = internal().send(io.micronaut.http.HttpRequest.POST("/internal/tools/list_items",
                "{\"projectId\":\"" + p.projectId() + "\",\"userId\":\"" + p.owner() + "\",\"arguments\":[1,2]}"));
        assertEquals(200, r.status());
        assertEquals("VALIDATION_ERROR", r.errorType());
    }

    /** A tool call whose arguments are raw JSON text, so escapes such as a lone surrogate reach the service as sent. */
    Internal.Reply rawCall(String tool, String argumentsJson) {
        return internal().send(io.micronaut.http.HttpRequest.POST("/internal/tools/" + tool,
                "{\"projectId\":\"" + p.projectId() + "\",\"userId\":\"" + p.owner() + "\",\"arguments\":" + argumentsJson + "}"));
    }

    void assertRawInvalid(String tool, String argumentsJson, String field) {
        var r = rawCall(tool, argumentsJson);
        assertEquals(200, r.status(), r.body().toString());
        assertEquals("VALIDATION_ERROR", r.errorType(), r.body().toString());
        assertEquals(field, r.content().get("field"), r.body().toString());
    }

    @Test
    void textWhenItHoldsANulCharacterThenValidationErrorNotADatabaseError() {
        assertRawInvalid("create_item", "{\"title\":\"before\\u0000after\"}", "title");
        assertRawInvalid("create_item", "{\"title\":\"ok\",\"labels\":[\"a\",\"b\\u0000\"]}", "labels[1]");
        assertRawInvalid("search", "{\"query\":\"\\u0000\"}", "query");
    }

    @Test
    void textWhenItHoldsAnUnpairedSurrogateThenValidationError() {
        assertRawInvalid("create_item", "{\"title\":\"half \\ud800 a pair\"}", "title");
        assertRawInvalid("create_item", "{\"title\":\"ok\",\"description\":\"\\udc00\"}", "description");
        var paired = rawCall("create_item", "{\"title\":\"a real pair \\ud83d\\ude00\"}");
        assertFalse(paired.isError(), paired.body().toString());
    }

    @Test
    void integerWhenBeyondSixtyFourBitsThenValidationError() {
        assertRawInvalid("update_item", "{\"id\":\"itm_x\",\"title\":\"t\",\"expectedVersion\":123456789012345678901234567890}", "expectedVersion");
    }

    @Test
    void cursorWhenForgedWithNulOrHugeNumbersThenValidationErrorOnCursor() {
        var b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String query = Integer.toHexString("x".hashCode());
        assertInvalid("search", Map.of("query", "x", "cursor", b64.encodeToString(("search1|\u0000|" + query).getBytes())), "cursor");
        assertInvalid("search", Map.of("query", "x", "cursor", b64.encodeToString(("search1|99999999999|" + query).getBytes())), "cursor");
        assertInvalid("list_activity", Map.of("since", "2020-01-01T00:00:00Z",
                "cursor", b64.encodeToString(("activity1|9223372036854775807|1|" + java.time.Instant.parse("2020-01-01T00:00:00Z").toEpochMilli()).getBytes())), "cursor");
        assertInvalid("list_releases", Map.of("cursor", b64.encodeToString("rel1|-5".getBytes())), "cursor");
    }

    @Test
    void resourceReadWhenUriHoldsANulThenBadRequestNotServerError() {
        var r = internal().post("/internal/resources/read", "{\"projectId\":\"" + p.projectId() + "\",\"userId\":\"" + p.owner()
                + "\",\"uri\":\"backlog://items/itm_\\u0000x\"}");
        assertTrue(r.status() == 400 || r.status() == 404, r.status() + " " + r.body());
    }
}
