package com.backlogmcp.mcp.protocol;

import java.util.Set;

/** Answers one family of MCP methods. */
public interface McpMethodHandler {

    Set<String> methods();

    /** The reply for {@code request}; throws {@link McpError} for protocol errors. */
    McpReply handle(McpRequest request);
}
