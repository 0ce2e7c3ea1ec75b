package com.backlogmcp.mcp.protocol;

import com.backlogmcp.mcp.support.EdgeTestBase;
import com.backlogmcp.mcp.support.McpHttp;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.backlogmcp.mcp.support.FakeNeighbours.ALL_SCOPES;
import static com.backlogmcp.mcp.support.FakeNeighbours.OTHER_PROJECT;
import static com.backlogmcp.mcp.support.FakeNeighbours.OWNER;
import static com.backlogmcp.mcp.support.FakeNeighbours.PROJECT;
import static com.backlogmcp.mcp.support.FakeNeighbours.VIEWER;
import static com.backlogmcp.mcp.support.McpHttp.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tools/list shows only what this credential can call now; resources, prompts, completion; pagination. */
@MicronautTest
class McpListingTest extends EdgeTestBase {

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("backlogmcp.edge.page-size", "4");
    }

    @SuppressWarnings("unchecked")
    private List<String> toolNames(String projectId, String token, String path, String... headers) {
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> params = cursor == null ? null : params("cursor", cursor);
            McpHttp.Reply r = http.post(path == null ? "/p/" + projectId + "/mcp" : path, token,
                    McpHttp.json(request(1, "tools/list", params)), headers);
            assertEquals(200, r.status(), r.body());
            ((List<Map<String, Object>>) r.result().get("tools")).forEach(t -> names.add((String) t.get("name")));
            cursor = (String) r.result().get("nextCursor");
        } while (cursor != null);
        return names;
    }

    @Test
    void toolsListWhenOwnerWithEveryScopeThenEveryToolAcrossPages() {
        McpHttp.Reply first = http.mcp(PROJECT, ownerToken(), request(1, "tools/list", null));
        assertEquals(4, ((List<?>) first.result().get("tools")).size());
        assertTrue(first.result().containsKey("nextCursor"));
        assertEquals(List.of("get_item", "list_items", "create_item", "list_comments", "add_comment", "send_announcement"),
                toolNames(PROJECT, ownerToken(), null));
    }

    @SuppressWarnings("unchecked")
    @Test
    void toolsListWhenListedThenCarriesSchemasAndAnnotations() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(1, "tools/list", null));
        Map<String, Object> tool = ((List<Map<String, Object>>) r.result().get("tools")).get(0);
        assertEquals("get_item", tool.get("name"));
        assertTrue(tool.containsKey("inputSchema") && tool.containsKey("outputSchema") && tool.containsKey("title"));
        Map<String, Object> annotations = (Map<String, Object>) tool.get("annotations");
        assertEquals(true, annotations.get("readOnlyHint"));
        assertTrue(annotations.containsKey("destructiveHint") && annotations.containsKey("idempotentHint") && annotations.containsKey("openWorldHint"));
    }

    @Test
    void toolsListWhenViewerThenNoWriteTool() {
        String viewer = fakes.token(VIEWER, PROJECT, ALL_SCOPES);
        assertEquals(List.of("get_item", "list_items", "list_comments"), toolNames(PROJECT, viewer, null));
    }

    @Test
    void toolsListWhenFreePlanThenNoWriteTool() {
        String hobby = fakes.token("usr_hobby_owner", OTHER_PROJECT, ALL_SCOPES);
        assertEquals(List.of("get_item", "list_items", "list_comments"), toolNames(OTHER_PROJECT, hobby, null));
    }

    @Test
    void toolsListWhenScopeMissingThenToolsOfThatScopeHidden() {
        String readOnly = fakes.token(OWNER, PROJECT, "backlog:read comments:read");
        assertEquals(List.of("get_item", "list_items", "list_comments"), toolNames(PROJECT, readOnly, null));
    }

    @Test
    void toolsListWhenToolsetsGivenThenNarrowed() {
        assertEquals(List.of("list_comments", "add_comment"),
                toolNames(PROJECT, ownerToken(), "/p/" + PROJECT + "/mcp?toolsets=comments"));
        assertEquals(List.of("list_comments", "add_comment", "send_announcement"),
                toolNames(PROJECT, ownerToken(), "/p/" + PROJECT + "/mcp?toolsets=comments,announcements"));
    }

    @Test
    void toolsListWhenReadOnlySwitchThenEveryWriteToolHidden() {
        List<String> expected = List.of("get_item", "list_items", "list_comments");
        assertEquals(expected, toolNames(PROJECT, ownerToken(), "/p/" + PROJECT + "/mcp?read_only=1"));
        assertEquals(expected, toolNames(PROJECT, ownerToken(), null, "X-MCP-Readonly", "true"));
    }

    @Test
    void toolCallWhenReadOnlySwitchAndWriteToolThenUnknownToolAndNothingRuns() {
        McpHttp.Reply r = http.post("/p/" + PROJECT + "/mcp?read_only=1", ownerToken(),
                McpHttp.json(request(1, "tools/call", params("name", "create_item", "arguments", Map.of()))));
        assertEquals(-32602, ((Number) r.error().get("code")).intValue());
        assertTrue(fakes.toolCalls.isEmpty());
    }

    @Test
    void toolsListWhenCursorInvalidThenInvalidParams() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(1, "tools/list", params("cursor", "not-a-cursor!")));
        assertEquals(-32602, ((Number) r.error().get("code")).intValue());
    }

    @Test
    void toolsListWhenNotAMemberThenNotAMember() {
        McpHttp.Reply r = http.mcp(PROJECT, fakes.token("usr_acme_outsider", PROJECT, ALL_SCOPES), request(1, "tools/list", null));
        assertEquals("NOT_A_MEMBER", r.errorType());
    }

    @SuppressWarnings("unchecked")
    @Test
    void resourcesListWhenListedThenUrisBoundToTheProject() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(1, "resources/list", null));
        List<Map<String, Object>> resources = (List<Map<String, Object>>) r.result().get("resources");
        assertEquals("backlog://projects/" + PROJECT, resources.get(0).get("uri"));
        McpHttp.Reply t = http.mcp(PROJECT, ownerToken(), request(2, "resources/templates/list", null));
        assertEquals("backlog://items/{id}", ((List<Map<String, Object>>) t.result().get("resourceTemplates")).get(0).get("uriTemplate"));
    }

    @Test
    void resourcesListWhenScopeMissingThenEmpty() {
        McpHttp.Reply r = http.mcp(PROJECT, fakes.token(OWNER, PROJECT, "comments:read"), request(1, "resources/list", null));
        assertEquals(List.of(), r.result().get("resources"));
    }

    @SuppressWarnings("unchecked")
    @Test
    void resourcesReadWhenTemplateMatchesThenForwarded() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(1, "resources/read", params("uri", "backlog://items/itm_7")));
        List<Map<String, Object>> contents = (List<Map<String, Object>>) r.result().get("contents");
        assertEquals("backlog://items/itm_7", contents.get(0).get("uri"));
    }

    @Test
    void resourcesReadWhenUriUnknownOrMissingThenResourceNotFound() {
        McpHttp.Reply unknown = http.mcp(PROJECT, ownerToken(), request(1, "resources/read", params("uri", "file:///etc/passwd")));
        assertEquals(-32002, ((Number) unknown.error().get("code")).intValue());
        McpHttp.Reply missing = http.mcp(PROJECT, ownerToken(), request(2, "resources/read", params("uri", "backlog://items/itm_missing")));
        assertEquals(-32002, ((Number) missing.error().get("code")).intValue());
    }

    @Test
    void resourcesReadWhenScopeMissingThen403StepUp() {
        McpHttp.Reply r = http.mcp(PROJECT, fakes.token(OWNER, PROJECT, "comments:read"),
                request(1, "resources/read", params("uri", "backlog://projects/" + PROJECT)));
        assertEquals(403, r.status());
        assertTrue(r.header("WWW-Authenticate").contains("backlog:read"));
    }

    @SuppressWarnings("unchecked")
    @Test
    void promptsListWhenScopeMissingThenPromptHidden() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(1, "prompts/list", null));
        List<Map<String, Object>> prompts = (List<Map<String, Object>>) r.result().get("prompts");
        assertEquals(List.of("summarise_project_status"), prompts.stream().map(p -> p.get("name")).toList());
    }

    @Test
    void promptsGetWhenArgumentsValidThenMessages() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(1, "prompts/get",
                params("name", "summarise_project_status", "arguments", Map.of("focus", "bugs"))));
        assertFalse(((List<?>) r.result().get("messages")).isEmpty());
    }

    @Test
    void promptsGetWhenUnknownOrBadArgumentsThenInvalidParams() {
        assertEquals(-32602, ((Number) http.mcp(PROJECT, ownerToken(), request(1, "prompts/get", params("name", "nope")))
                .error().get("code")).intValue());
        assertEquals(-32602, ((Number) http.mcp(PROJECT, ownerToken(), request(2, "prompts/get",
                params("name", "summarise_project_status", "arguments", Map.of("focus", 3)))).error().get("code")).intValue());
        assertEquals(-32602, ((Number) http.mcp(PROJECT, fakes.token(OWNER, PROJECT, ALL_SCOPES + " inbox:read"),
                request(3, "prompts/get", params("name", "triage_inbox"))).error().get("code")).intValue());
    }

    @SuppressWarnings("unchecked")
    @Test
    void completionWhenPromptArgumentThenValues() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(1, "completion/complete", params(
                "ref", Map.of("type", "ref/prompt", "name", "summarise_project_status"),
                "argument", Map.of("name", "focus", "value", "bu"))));
        Map<String, Object> completion = (Map<String, Object>) r.result().get("completion");
        assertEquals(List.of("bu-one", "bu-two"), completion.get("values"));
        assertEquals(false, completion.get("hasMore"));
    }

    @Test
    void completionWhenReferenceUnknownThenInvalidParams() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(1, "completion/complete", params(
                "ref", Map.of("type", "ref/prompt", "name", "nope"), "argument", Map.of("name", "x", "value", "y"))));
        assertEquals(-32602, ((Number) r.error().get("code")).intValue());
        assertNull(r.json().get("result"));
    }
}
