package com.backlogmcp.contracts.events;

/** Kafka topic names (producers and consumers: docs/architecture.md §5). A breaking payload change gets a new version suffix. */
public final class Topics {
    public static final String TOOL_CALLS = "mcp.tool-calls.v1";
    public static final String GRANTS = "auth.grants.v1";
    public static final String BACKLOG_CHANGES = "backlog.changes.v1";

    private Topics() {
    }
}
