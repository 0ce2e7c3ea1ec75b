package com.backlogmcp.backlog.catalog;

import com.backlogmcp.contracts.internal.Catalog;
import com.backlogmcp.contracts.vocabulary.Role;
import com.backlogmcp.contracts.vocabulary.Scope;

import java.util.Map;

/**
 * One tool as data: what the edge lists, filters and checks (scope, minimum role, read or write, toolset) and
 * what an agent reads (title, description, schemas, hints). {@code projectId} is never in the input schema: the
 * edge takes it from the endpoint URL.
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
        Map<String, Object> outputSchema) {

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
        return new Catalog.Tool(name, title, description, toolset, scope.value(), minRole.wire(), write,
                inputSchema, outputSchema,
                new Catalog.Annotations(hints.readOnly(), hints.destructive(), hints.idempotent(), hints.openWorld()));
    }
}
