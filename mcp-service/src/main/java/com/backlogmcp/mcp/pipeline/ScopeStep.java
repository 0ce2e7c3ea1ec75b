package com.backlogmcp.mcp.pipeline;

import jakarta.inject.Singleton;

import java.util.Optional;

/** Step 4: the credential holds the scope the tool (or resource, prompt) needs; else a step-up challenge. */
@Singleton
final class ScopeStep implements AuthorizationStep {

    static final int ORDER = 4;

    @Override
    public int order() {
        return ORDER;
    }

    @Override
    public boolean appliesTo(McpCall call) {
        return call.requiredScope() != null;
    }

    @Override
    public Optional<Denial> apply(McpCall call) {
        return call.principal().scopes().contains(call.requiredScope()) ? Optional.empty()
                : Optional.of(Denial.insufficientScope(call.requiredScope()));
    }
}
