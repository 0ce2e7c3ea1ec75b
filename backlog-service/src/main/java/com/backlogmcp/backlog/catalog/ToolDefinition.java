package com.backlogmcp.backlog.catalog;

import com.backlogmcp.contracts.internal.Catalog;
import com.backlogmcp.contracts.vocabulary.Role;
import com.backlogmcp.contracts.vocabulary.Scope;

import java.util.Map;

/**
 * One tool as data: what the edge lists, filters and checks (scope, minimum role, read or write, toolset) and
 * what an agent reads (title, description, schemas, hints), and its {@link Reach}. {@code projectId} is never in
 * the input schema itself: a project endpoint takes it from the URL, and the workspace view adds it
 * ({@link #toWorkspaceWire()}).
 */
public record ToolDefinition(
        String name,
        String title,
        String description,
        String toolset,
        Scope scope,
        Role minRole,
        boolean write,
        Hints hints,
        Map<String, Object> inputSchema,
        Map<String, Object> outputSchema,
        Reach reach) {

    /**
     * Where a tool runs. On a project endpoint every tool acts in that project (WORKSPACE tools are not offered
     * there: a project's token reaches no other project). On a workspace endpoint a PROJECT tool needs a
     * {@code projectId} argument, an ANY tool without one covers every project of the workspace the user is a
     * member of, and a WORKSPACE tool is about the workspace itself.
     */
    public enum Reach { PROJECT, ANY, WORKSPACE }

    public ToolDefinition(String name, String title, String description, String toolset, Scope scope, Role minRole,
                          boolean write, Hints hints, Map<String, Object> inputSchema,
                          Map<String, Object> outputSchema) {
        this(name, title, description, toolset, scope, minRole, write, hints, inputSchema, outputSchema, Reach.PROJECT);
    }

    public ToolDefinition reaching(Reach newReach) {
        return new ToolDefinition(name, title, description, toolset, scope, minRole, write, hints, inputSchema,
                outputSchema, newReach);
    }

    /** MCP tool annotations; every tool states all four. */
    public record Hints(boolean readOnly, boolean destructive, boolean idempotent, boolean openWorld) {
        public static final Hints READ = new Hints(true, false, true, false);
        /** Adds something new; calling twice adds twice. */
        public static final Hints ADDITIVE = new Hints(false, false, false, false);
        /** Sets state to given values; calling twice with the same arguments changes nothing more. */
        public static final Hints IDEMPOTENT_WRITE = new Hints(false, false, true, false);
        /** Overwrites or removes something that cannot be recovered from the tool's own result. */
        public static final Hints DESTRUCTIVE = new Hints(false, true, true, false);
    }

    public static ToolDefinition read(String name, String title, String toolset, Scope scope, Role minRole,
                                      String description, Schema input, Schema output) {
        return new ToolDefinition(name, title, description, toolset, scope, minRole, false, Hints.READ,
                input.document(), output.document());
    }

    /** The argument every write tool takes: check and resolve everything, answer what would change, write nothing. */
    public static final String DRY_RUN = "dry_run";

    public static ToolDefinition write(String name, String title, String toolset, Scope scope, Role minRole,
                                       Hints hints, String description, Schema input, Schema output) {
        // Added here, once, so every write tool offers a dry run with the same words and the same answer field.
        input.prop(DRY_RUN, Schema.bool().description("true: validate, resolve ids and return what would change, writing "
                + "nothing (it still counts as one call for the quota and the audit log)."));
        output.prop(DRY_RUN, Schema.bool().description("true when this was a dry run: nothing was written."));
        return new ToolDefinition(name, title, description, toolset, scope, minRole, true, hints,
                input.document(), output.document());
    }

    public Catalog.Tool toWire() {
        return toWire(inputSchema);
    }

    /**
     * The tool as a workspace endpoint lists it: the input schema gains {@code projectId}, required for a
     * PROJECT tool and optional (omitted = every project of the user) for an ANY tool. The edge reads which
     * one it is from the schema itself, so the catalog stays the only source.
     */
    public Catalog.Tool toWorkspaceWire() {
        if (reach == Reach.WORKSPACE) {
            return toWire(inputSchema);
        }
        Map<String, Object> schema = new java.util.LinkedHashMap<>(inputSchema);
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = new java.util.LinkedHashMap<>((Map<String, Object>) schema.get("properties"));
        Map<String, Object> withProject = new java.util.LinkedHashMap<>();
        withProject.put(PROJECT_ID, SharedSchemas.id(reach == Reach.PROJECT
                ? "The project to act in (prj_…); call list_projects to find it."
                : "Only this project (prj_…); omit to cover every project of the workspace you are a member of.")
                .build());
        withProject.putAll(properties);
        schema.put("properties", withProject);
        if (reach == Reach.PROJECT) {
            @SuppressWarnings("unchecked")
            java.util.List<String> required = (java.util.List<String>) schema.getOrDefault("required", java.util.List.of());
            java.util.List<String> all = new java.util.ArrayList<>();
            all.add(PROJECT_ID);
            all.addAll(required);
            schema.put("required", all);
        }
        return toWire(schema);
    }

    public static final String PROJECT_ID = "projectId";

    private Catalog.Tool toWire(Map<String, Object> input) {
        return new Catalog.Tool(name, title, description, toolset, scope.value(), minRole.wire(), write,
                input, outputSchema,
                new Catalog.Annotations(hints.readOnly(), hints.destructive(), hints.idempotent(), hints.openWorld()));
    }
}
