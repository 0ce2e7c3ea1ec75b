package com.backlogmcp.backlog.tools;

import com.backlogmcp.backlog.Internal;
import com.backlogmcp.backlog.support.Json;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A workspace endpoint's calls: a user who is a member of two of three projects sees exactly those two through
 * list_projects, search, list_activity and the workspace resources; a project tool needs projectId; membership is
 * checked per touched project on every call. A call across the workspace is admitted by the live checks in the
 * tool's own transaction, each of which alone refuses it, and its answer carries the workspace access they read.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkspaceToolsTest extends ToolTestSupport {

    String workspace;
    String p1;
    String p2;
    String p3;
    String user;
    String owner;

    @BeforeEach
    void workspaceOfThreeProjects() {
        String s = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        workspace = "wrk_" + s;
        p1 = "prj_" + s + "_1";
        p2 = "prj_" + s + "_2";
        p3 = "prj_" + s + "_3";
        user = "usr_two_of_three_" + s;
        owner = "usr_owner_" + s;
        fixtures().sql(sql -> {
            sql.update("INSERT INTO workspaces (id, name, plan, mcp_enabled) VALUES (?, 'Acme', 'business', true)", workspace);
            for (String p : List.of(p1, p2, p3)) {
                sql.update("INSERT INTO projects (id, workspace_id, name) VALUES (?, ?, ?)", p, workspace, "Project " + p.substring(p.length() - 1));
                sql.update("INSERT INTO members (project_id, user_id, role) VALUES (?, ?, 'owner')", p, owner);
            }
            sql.update("INSERT INTO members (project_id, user_id, role) VALUES (?, ?, 'member')", p1, user);
            sql.update("INSERT INTO members (project_id, user_id, role) VALUES (?, ?, 'viewer')", p2, user);
        });
        for (String p : List.of(p1, p2, p3)) {
            assertFalse(internal().tool("create_item", p, owner, Map.of("title", "Checkout broken in " + p)).isError());
        }
        assertFalse(internal().tool("create_item", p1, owner, Map.of("title", "Checkout checkout page slow",
                "description", "checkout takes ten seconds")).isError());
    }

    private Internal.Reply ws(String tool, String who, Map<String, Object> args) {
        Internal.Reply r = internal().workspaceTool(tool, workspace, who, args);
        assertEquals(200, r.status(), () -> r.body().toString());
        return r;
    }

    private Map<String, Object> wsOk(String tool, Map<String, Object> args) {
        Internal.Reply r = ws(tool, user, args);
        assertFalse(r.isError(), () -> tool + ": " + r.body());
        return r.content();
    }

    @Test
    void listProjectsWhenMemberOfTwoOfThreeThenExactlyThoseWithRolePlanAndCounts() {
        var projects = rows(wsOk("list_projects", Map.of()).get("projects"));
        assertEquals(List.of(p1, p2), projects.stream().map(p -> p.get("id")).toList());
        assertEquals("member", projects.get(0).get("role"));
        assertEquals("viewer", projects.get(1).get("role"));
        assertEquals("business", projects.get(0).get("plan"));
        assertEquals(2, ((Number) projects.get(0).get("totalItems")).intValue());
        assertEquals(2, ((Number) map(projects.get(0).get("itemCounts")).get("open")).intValue());
        var first = wsOk("list_projects", Map.of("limit", 1));
        assertEquals(List.of(p2), rows(wsOk("list_projects", Map.of("limit", 1, "cursor", first.get("nextCursor")))
                .get("projects")).stream().map(p -> p.get("id")).toList());
    }

    @Test
    void searchWhenAcrossTheWorkspaceThenOnlyTheUsersProjectsRankedPagedEachHitNamingItsProject() {
        var items = rows(wsOk("search", Map.of("query", "checkout")).get("items"));
        assertEquals(Set.of(p1, p2), items.stream().map(i -> (String) i.get("projectId")).collect(Collectors.toSet()));
        assertEquals(3, items.size());
        for (int i = 1; i < items.size(); i++) {
            assertTrue(((Number) items.get(i - 1).get("rank")).doubleValue() >= ((Number) items.get(i).get("rank")).doubleValue());
        }
        assertTrue(text(items.get(0).get("title")).contains("slow"), "the item matching most strongly ranks first");
        List<Object> paged = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> args = new HashMap<>(Map.of("query", "checkout", "limit", 1));
            if (cursor != null) {
                args.put("cursor", cursor);
            }
            var page = wsOk("search", args);
            rows(page.get("items")).forEach(i -> paged.add(i.get("id")));
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
        assertEquals(items.stream().map(i -> i.get("id")).toList(), paged);
        assertEquals(Set.of(p2), rows(wsOk("search", Map.of("query", "checkout", "projectId", p2)).get("items"))
                .stream().map(i -> (String) i.get("projectId")).collect(Collectors.toSet()));
    }

    @Test
    void callWhenUserRemovedFromOneProjectThenTheNextCallTouchingItStopsButNotTheOther() {
        String item1 = (String) rows(wsOk("search", Map.of("query", "slow")).get("items")).get(0).get("id");
        assertFalse(ws("get_item", user, Map.of("projectId", p1, "id", item1)).isError());
        fixtures().sql(sql -> sql.update("DELETE FROM members WHERE project_id = ? AND user_id = ?", p1, user));
        assertEquals("NOT_A_MEMBER", ws("get_item", user, Map.of("projectId", p1, "id", item1)).errorType());
        assertEquals(Set.of(p2), rows(wsOk("search", Map.of("query", "checkout")).get("items")).stream()
                .map(i -> (String) i.get("projectId")).collect(Collectors.toSet()));
        assertEquals(List.of(p2), rows(wsOk("list_projects", Map.of()).get("projects")).stream().map(p -> p.get("id")).toList());
        assertFalse(ws("list_items", user, Map.of("projectId", p2)).isError());
    }

    @Test
    void projectToolWhenNoProjectIdThenValidationErrorPointingToListProjectsAndForeignProjectsRefused() {
        var missing = ws("list_items", user, Map.of());
        assertEquals("VALIDATION_ERROR", missing.errorType());
        assertEquals("projectId", missing.content().get("field"));
        assertTrue(((String) missing.content().get("hint")).contains("list_projects"));
        assertEquals("NOT_A_MEMBER", ws("list_items", user, Map.of("projectId", p3)).errorType());
        assertEquals("NOT_A_MEMBER", ws("search", user, Map.of("query", "checkout", "projectId", p3)).errorType());
        var other = fixtures().project();
        assertEquals("NOT_FOUND", ws("list_items", other.owner(), Map.of("projectId", other.projectId())).errorType());
        assertEquals("VALIDATION_ERROR", ws("list_items", user, Map.of("projectId", 42)).errorType());
    }

    @Test
    void writeToolWhenProjectIdGivenThenActsInThatProjectWithThatProjectsRole() {
        var created = ws("create_item", user, Map.of("projectId", p1, "title", "Made from the workspace"));
        assertFalse(created.isError(), () -> created.body().toString());
        assertEquals("FORBIDDEN", ws("create_item", user, Map.of("projectId", p2, "title", "viewer cannot")).errorType());
    }

    @Test
    void workspaceCallWhenNoMembershipSuspendedOrAddOnOffThenRefused() {
        assertEquals("NOT_A_MEMBER", ws("list_projects", "usr_stranger", Map.of()).errorType());
        fixtures().sql(sql -> sql.update("UPDATE workspaces SET suspended = true WHERE id = ?", workspace));
        assertEquals("WORKSPACE_SUSPENDED", ws("list_projects", user, Map.of()).errorType());
        fixtures().sql(sql -> sql.update("UPDATE workspaces SET suspended = false, mcp_enabled = false WHERE id = ?", workspace));
        assertEquals("MCP_DISABLED", ws("search", user, Map.of("query", "checkout")).errorType());
    }

    // ---- the live checks of a call across the workspace, and the access its answer carries ------------------

    private Internal.Reply across(String tool, String who, Map<String, Object> args, Map<String, Object> requires) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("workspaceId", workspace);
        body.put("userId", who);
        body.put("arguments", args);
        if (requires != null) {
            body.put("requires", requires);
        }
        Internal.Reply r = internal().send(HttpRequest.POST("/internal/tools/" + tool, Json.write(body)));
        assertEquals(200, r.status(), () -> r.body().toString());
        return r;
    }

    private static Map<String, Object> access(Internal.Reply r) {
        return map(r.body().get("workspace"));
    }

    private static void assertRefusedAndNothingRan(Internal.Reply r, String errorType) {
        assertEquals(errorType, r.errorType(), () -> r.body().toString());
        assertEquals(false, r.body().get("admitted"));
        assertEquals(Set.of("error_type", "message", "hint"), r.content().keySet(), "the refusal alone, no output");
        assertNull(r.body().get("authz"), "a call across names no project");
    }

    @Test
    void acrossWhenAdmittedThenTheAnswerCarriesTheWorkspaceAccessItRanOn() {
        Internal.Reply r = across("search", user, Map.of("query", "checkout"), null);
        assertFalse(r.isError(), () -> r.body().toString());
        assertEquals(true, r.body().get("admitted"));
        assertNull(r.body().get("authz"));
        Map<String, Object> access = access(r);
        assertEquals(workspace, access.get("workspaceId"));
        assertEquals("Acme", access.get("workspaceName"));
        assertEquals("business", access.get("plan"));
        assertEquals(true, access.get("mcpEnabled"));
        assertEquals(false, access.get("suspended"));
        assertEquals(List.of(p1 + ":member", p2 + ":viewer"), rows(access.get("projects")).stream()
                .map(p -> p.get("projectId") + ":" + p.get("role")).toList(), "the user's projects with their roles, not p3");
        assertEquals(access, internal().get("/internal/workspaces/" + workspace + "/access?userId=" + user).body(),
                "the same reading as the access endpoint");
    }

    @Test
    void acrossWhenMemberOfNoProjectThenNotAMemberWithTheAccessItRead() {
        Internal.Reply r = across("list_projects", "usr_stranger", Map.of(), null);
        assertRefusedAndNothingRan(r, "NOT_A_MEMBER");
        assertEquals(workspace, access(r).get("workspaceId"));
        assertNull(access(r).get("projects"), "a member of no project (an empty list is left out)");
        fixtures().sql(sql -> sql.update("UPDATE workspaces SET suspended = true WHERE id = ?", workspace));
        assertRefusedAndNothingRan(across("list_projects", "usr_stranger", Map.of(), null), "NOT_A_MEMBER");
    }

    @Test
    void acrossWhenSuspendedThenRefusedWithTheFlagItRead() {
        fixtures().sql(sql -> sql.update("UPDATE workspaces SET suspended = true WHERE id = ?", workspace));
        Internal.Reply r = across("search", user, Map.of("query", "checkout"), null);
        assertRefusedAndNothingRan(r, "WORKSPACE_SUSPENDED");
        assertEquals(true, access(r).get("suspended"));
    }

    @Test
    void acrossWhenAddOnOffThenRefusedWithTheFlagItRead() {
        fixtures().sql(sql -> sql.update("UPDATE workspaces SET mcp_enabled = false WHERE id = ?", workspace));
        Internal.Reply r = across("list_activity", user, Map.of("since", "2000-01-01T00:00:00Z"), null);
        assertRefusedAndNothingRan(r, "MCP_DISABLED");
        assertEquals(false, access(r).get("mcpEnabled"));
    }

    @Test
    void acrossWhenTheBestRoleIsBelowTheLeastRoleAskedThenForbidden() {
        Internal.Reply r = across("search", user, Map.of("query", "checkout"), Map.of("minRole", "admin", "write", false));
        assertRefusedAndNothingRan(r, "FORBIDDEN");
        assertEquals(2, rows(access(r).get("projects")).size());
    }

    @Test
    void acrossWhenTheLeastRoleAskedIsMetInSomeProjectsThenOnlyThoseAreCovered() {
        Internal.Reply r = across("search", user, Map.of("query", "checkout"), Map.of("minRole", "member", "write", false));
        assertEquals(true, r.body().get("admitted"));
        assertEquals(Set.of(p1), rows(r.content().get("items")).stream().map(i -> (String) i.get("projectId"))
                .collect(Collectors.toSet()), "a viewer in p2: p2 is not covered");
    }

    @Test
    void acrossWhenWriteAskedOnAFreePlanThenPlanReadOnly() {
        fixtures().sql(sql -> sql.update("UPDATE workspaces SET plan = 'free' WHERE id = ?", workspace));
        assertRefusedAndNothingRan(across("list_projects", user, Map.of(), Map.of("minRole", "viewer", "write", true)), "PLAN_READ_ONLY");
        assertEquals("free", access(across("list_projects", user, Map.of(), null)).get("plan"));
    }

    @Test
    void acrossWhenTheWorkspaceDoesNotExistThenNotFoundWithoutAccess() {
        Internal.Reply r = internal().workspaceTool("list_projects", "wrk_nope", user, Map.of());
        assertEquals("NOT_FOUND", r.errorType());
        assertEquals(false, r.body().get("admitted"));
        assertNull(r.body().get("workspace"));
    }

    @Test
    void acrossWhenAdmittedButTheArgumentsAreInvalidThenValidationErrorStillCarriesTheAccess() {
        Internal.Reply r = across("search", user, Map.of("limit", 5), null);
        assertEquals("VALIDATION_ERROR", r.errorType(), () -> r.body().toString());
        assertEquals(true, r.body().get("admitted"), "the live checks let it through; the tool refused its input");
        assertEquals(workspace, access(r).get("workspaceId"));
    }

    @Test
    void listActivityWhenAcrossTheWorkspaceThenOnlyTheUsersProjects() {
        var changes = rows(wsOk("list_activity", Map.of("since", "2000-01-01T00:00:00Z", "limit", 100)).get("changes"));
        assertEquals(Set.of(p1, p2), changes.stream().map(c -> (String) c.get("projectId")).collect(Collectors.toSet()));
    }

    @Test
    void workspaceAccessWhenAskedThenFlagsAndOnlyTheUsersProjectsWithRoles() {
        var access = internal().get("/internal/workspaces/" + workspace + "/access?userId=" + user);
        assertEquals(200, access.status());
        assertEquals("business", access.body().get("plan"));
        assertEquals(List.of(p1 + ":member", p2 + ":viewer"), rows(access.body().get("projects")).stream()
                .map(p -> p.get("projectId") + ":" + p.get("role")).toList());
        assertEquals(Set.of("workspaceId", "workspaceName", "plan", "mcpEnabled", "suspended", "projects"), access.body().keySet());
        assertNull(internal().get("/internal/workspaces/" + workspace + "/access").body().get("projects"),
                "none without a user (an empty list is left out)");
        assertEquals(404, internal().get("/internal/workspaces/wrk_nope/access?userId=" + user).status());
    }

    @Test
    void listProjectsWhenCalledOnAProjectEndpointThenUnknownTool() {
        assertEquals(404, internal().tool("list_projects", p1, user, Map.of()).status());
    }

    @Test
    void catalogWhenWorkspaceViewThenListProjectsAndProjectIdRequiredOrOptionalByReach() {
        var project = internal().get("/internal/catalog").body();
        var workspaceView = internal().get("/internal/catalog?view=workspace").body();
        assertFalse(names(project).contains("list_projects"));
        assertTrue(names(workspaceView).contains("list_projects"));
        assertEquals(List.of("projectId", "id"), required(workspaceView, "get_item"));
        assertEquals(List.of("query"), required(workspaceView, "search"));
        assertTrue(properties(workspaceView, "search").contains("projectId"));
        assertFalse(properties(workspaceView, "list_projects").contains("projectId"));
        assertEquals(List.of("backlog://workspaces/{workspaceId}/projects", "backlog://workspaces/{workspaceId}/releases"),
                rows(workspaceView.get("resources")).stream().map(r -> r.get("uri")).toList());
        assertEquals(400, internal().get("/internal/catalog?view=nonsense").status());
    }

    @Test
    void workspaceResourcesWhenReadThenOnlyTheUsersProjectsAndReleases() throws Exception {
        assertFalse(internal().tool("create_release", p1, owner, Map.of("name", "v1")).isError());
        assertFalse(internal().tool("create_release", p3, owner, Map.of("name", "secret")).isError());
        var projects = read("backlog://workspaces/" + workspace + "/projects", user);
        assertEquals(List.of(p1, p2), rows(projects.get("projects")).stream().map(p -> p.get("id")).toList());
        var releases = rows(read("backlog://workspaces/" + workspace + "/releases", user).get("releases"));
        assertEquals(List.of(p1), releases.stream().map(r -> r.get("projectId")).toList());
        assertEquals(404, readReply("backlog://workspaces/wrk_other/projects", user).status());
        String secretItem = (String) map(internal().tool("create_item", p3, owner, Map.of("title", "Hidden")).content().get("item")).get("id");
        assertEquals(403, readReply("backlog://items/" + secretItem, user).status());
        assertEquals(200, readReply("backlog://items/" + secretItem, owner).status());
    }

    private Map<String, Object> read(String uri, String who) throws Exception {
        var r = readReply(uri, who);
        assertEquals(200, r.status(), () -> r.body().toString());
        return Json.map(Json.parse((String) rows(r.body().get("contents")).get(0).get("text")));
    }

    private Internal.Reply readReply(String uri, String who) {
        return internal().post("/internal/resources/read", Json.write(Map.of("workspaceId", workspace, "userId", who, "uri", uri)));
    }

    private static List<String> names(Map<String, Object> catalog) {
        return rows(catalog.get("tools")).stream().map(t -> (String) t.get("name")).toList();
    }

    private static Map<String, Object> tool(Map<String, Object> catalog, String name) {
        return rows(catalog.get("tools")).stream().filter(t -> t.get("name").equals(name)).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static List<String> required(Map<String, Object> catalog, String name) {
        return (List<String>) map(tool(catalog, name).get("inputSchema")).get("required");
    }

    private static Set<String> properties(Map<String, Object> catalog, String name) {
        return map(map(tool(catalog, name).get("inputSchema")).get("properties")).keySet();
    }
}
