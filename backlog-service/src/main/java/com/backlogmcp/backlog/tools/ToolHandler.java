package com.backlogmcp.backlog.tools;

import com.backlogmcp.backlog.catalog.ToolDefinition;

import java.util.Map;

/**
 * One tool: its definition (the catalog entry) and its behaviour. Handlers run inside the call's transaction
 * after the role check and schema validation; every id they read from the arguments must be looked up within
 * {@link ToolCall#projectId()} so an id of another project is simply not found.
 */
public interface ToolHandler {

    ToolDefinition definition();

    Map<String, Object> call(ToolCall call);
}
