package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.mcp.catalog.AccessRules;
import jakarta.inject.Singleton;

import java.util.Optional;

/** Step 4: the credential holds the scope the tool (or resource, prompt) needs; else a step-up challenge. */
@Singleton
final class ScopeStep extends OrderedStep {

    static final int ORDER = 4;

    ScopeStep() {
        super(ORDER, call -> call.requiredScope() != null);
    }

    @Override
    public Optional<Denial> apply(McpCall call) {
        return AccessRules.holdsScope(call.principal().scopes(), call.requiredScope()) ? Optional.empty()
                : Optional.of(Denial.insufficientScope(call.requiredScope()));
    }
}
