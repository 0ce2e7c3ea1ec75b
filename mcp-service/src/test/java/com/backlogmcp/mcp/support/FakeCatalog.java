package com.backlogmcp.mcp.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A slice of backlog-service's catalog in its wire form (contracts.internal.Catalog). */
final class FakeCatalog {

    static final List<Map<String, Object>> TOOLS = List.of(
            tool("get_item", "items", "backlog:read", "viewer", false),
            tool("list_items", "items", "backlog:read", "viewer", false),
            tool("create_item", "items", "backlog:write", "member", true),
            tool("list_comments", "comments", "comments:read", "viewer", false),
            tool("add_comment", "comments", "comments:write", "member", true),
            tool("send_announcement", "announcements", "announcements:write", "admin", true));

    /** Tools only a workspace endpoint offers: about the workspace itself (no projectId), or across it (optional). */
    static final List<Map<String, Object>> WORKSPACE_TOOLS = List.of(
            answering(tool("list_projects", "project", "backlog:read", "viewer", false), "projects"),
            answering(tool("workspace_report", "project", "backlog:read", "admin", false), "projects"),
            withProjectId(answering(tool("search", "items", "backlog:read", "viewer", false), "hits"), false));

    private FakeCatalog() {
    }

    /** The workspace view, as backlog-service serves it: project tools take a required projectId. */
    static Map<String, Object> workspaceCatalog() {
        List<Map<String, Object>> tools = new java.util.ArrayList<>();
        TOOLS.forEach(t -> tools.add(withProjectId(t, true)));
        tools.addAll(WORKSPACE_TOOLS);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("version", "test-ws-1");
        c.put("tools", tools);
        c.put("resources", List.of(
                Map.of("uri", "backlog://workspaces/{workspaceId}/projects", "name", "workspace-projects",
                        "title", "Your projects", "description", "Projects you are a member of",
                        "mimeType", "application/json", "scope", "backlog:read")));
        c.put("resourceTemplates", List.of(
                Map.of("uriTemplate", "backlog://items/{id}", "name", "item", "title", "An item",
                        "description", "One item", "mimeType", "application/json", "scope", "backlog:read")));
        c.put("prompts", List.of());
        return c;
    }

    static boolean knowsInWorkspace(String name) {
        return TOOLS.stream().anyMatch(t -> t.get("name").equals(name))
                || WORKSPACE_TOOLS.stream().anyMatch(t -> t.get("name").equals(name));
    }

    /** {@code tool} whose output is an object that always has the list {@code key}. */
    private static Map<String, Object> answering(Map<String, Object> tool, String key) {
        Map<String, Object> t = new LinkedHashMap<>(tool);
        t.put("outputSchema", outputWith(key, Map.of("type", "array")));
        return t;
    }

    private static Map<String, Object> outputWith(String key, Map<String, Object> schema) {
        return Map.of("type", "object", "required", List.of(key), "properties", Map.of(key, schema));
    }

    private static Map<String, Object> withProjectId(Map<String, Object> tool, boolean required) {
        Map<String, Object> t = new LinkedHashMap<>(tool);
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = new LinkedHashMap<>((Map<String, Object>) ((Map<String, Object>) tool.get("inputSchema")).get("properties"));
        properties.put("projectId", Map.of("type", "string"));
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        if (required) {
            schema.put("required", List.of("projectId"));
        }
        t.put("inputSchema", schema);
        return t;
    }

    static Map<String, Object> catalog() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("version", "test-1");
        c.put("tools", TOOLS);
        c.put("resources", List.of(
                Map.of("uri", "backlog://projects/{projectId}", "name", "project", "title", "The project",
                        "description", "Name, plan, counts", "mimeType", "application/json", "scope", "backlog:read"),
                Map.of("uri", "backlog://projects/{projectId}/items", "name", "items", "title", "Items",
                        "description", "Open items", "mimeType", "application/json", "scope", "backlog:read")));
        c.put("resourceTemplates", List.of(
                Map.of("uriTemplate", "backlog://items/{id}", "name", "item", "title", "An item",
                        "description", "One item", "mimeType", "application/json", "scope", "backlog:read")));
        c.put("prompts", List.of(
                Map.of("name", "summarise_project_status", "title", "Summarise", "description", "Status summary",
                        "arguments", List.of(Map.of("name", "focus", "description", "what to focus on", "required", false)),
                        "scope", "backlog:read"),
                Map.of("name", "triage_inbox", "title", "Triage", "description", "Triage the inbox",
                        "arguments", List.of(Map.of("name", "limit", "required", true)), "scope", "inbox:read")));
        return c;
    }

    private static Map<String, Object> tool(String name, String toolset, String scope, String minRole, boolean write) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", name);
        t.put("title", name.replace('_', ' '));
        t.put("description", "The " + name + " tool");
        t.put("toolset", toolset);
        t.put("scope", scope);
        t.put("minRole", minRole);
        t.put("write", write);
        t.put("inputSchema", Map.of("type", "object", "properties", Map.of("id", Map.of("type", "string"))));
        // The fake backlog-service answers a project tool with the tool's name beside the call it saw (FakeNeighbours);
        // an error object does not match that, as it matches no real tool's output schema.
        t.put("outputSchema", outputWith("tool", Map.of("type", "string")));
        t.put("annotations", Map.of("readOnlyHint", !write, "destructiveHint", false, "idempotentHint", !write, "openWorldHint", false));
        return t;
    }
}
