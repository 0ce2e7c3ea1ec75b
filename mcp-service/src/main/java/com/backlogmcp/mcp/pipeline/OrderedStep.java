package com.backlogmcp.mcp.pipeline;

import java.util.function.Predicate;

/**
 * What every one of the nine steps shares: its fixed position in the pipeline and which calls it has anything to check.
 * Each step stays its own named class with its own {@code ORDER}; only its {@link #apply} differs.
 */
abstract class OrderedStep implements AuthorizationStep {

    /** Steps 1–3 authenticate every call, whatever it touches. */
    static final Predicate<McpCall> EVERY_CALL = call -> true;
    /** Steps 5–6 read the live membership and workspace context of a call touching project data. */
    static final Predicate<McpCall> PROJECT_DATA = McpCall::projectScoped;
    /** Steps 7–9 concern only tools/call. */
    static final Predicate<McpCall> TOOL_CALLS = McpCall::isToolCall;

    private final int order;
    private final Predicate<McpCall> applies;

    OrderedStep(int order, Predicate<McpCall> applies) {
        this.order = order;
        this.applies = applies;
    }

    @Override
    public final int order() {
        return order;
    }

    @Override
    public final boolean appliesTo(McpCall call) {
        return applies.test(call);
    }
}
