package com.backlogmcp.mcp.catalog;

import com.backlogmcp.contracts.internal.Catalog;

import java.util.Collection;
import java.util.Map;

/**
 * What a tool of the workspace view touches, read from the catalog's own input schema (so the listing an agent
 * sees and the rule the edge applies cannot disagree): a tool whose schema requires {@code projectId} acts in
 * one project and cannot run without it; one where it is optional covers every project of the workspace the
 * user is a member of when it is left out; one without it is about the workspace itself.
 */
public final class ToolReach {

    public static final String PROJECT_ID = "projectId";

    private ToolReach() {
    }

    /** Whether {@code tool}, as the workspace view lists it, needs a {@code projectId} argument. */
    public static boolean needsProject(Catalog.Tool tool) {
        Map<String, Object> schema = tool.inputSchema();
        return schema != null && schema.get("required") instanceof Collection<?> required && required.contains(PROJECT_ID);
    }
}
