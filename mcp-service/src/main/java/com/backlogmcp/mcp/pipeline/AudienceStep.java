package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.mcp.config.EdgeConfiguration;
import com.backlogmcp.mcp.credential.Principal;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Step 3: the credential was issued for THIS endpoint. An access token's {@code aud} must contain the endpoint's
 * URL, {@code ${MCP_PUBLIC_URL}/p/{projectId}/mcp} or {@code …/w/{workspaceId}/mcp}, built from configuration
 * (RFC 8707/9068), never from Host or X-Forwarded-* (which an attacker controls): a project's token is refused at
 * its workspace's endpoint and the workspace's token at each project's. An API key must be bound to this project
 * or to its workspace on a project endpoint, and to this workspace on a workspace endpoint (a key bound to one
 * project reaches that project only).
 */
@Singleton
final class AudienceStep extends OrderedStep {

    static final int ORDER = 3;

    private final EdgeConfiguration config;
    private final ProjectFacts facts;

    AudienceStep(EdgeConfiguration config, ProjectFacts facts) {
        super(ORDER, EVERY_CALL);
        this.config = config;
        this.facts = facts;
    }

    @Override
    public Optional<Denial> apply(McpCall call) {
        Principal p = call.principal();
        boolean bound = switch (p.kind()) {
            case ACCESS_TOKEN -> p.audiences().contains(config.endpointUrl(call.endpoint()));
            case API_KEY -> call.endpoint().isWorkspace()
                    ? p.projectId() == null && call.endpoint().id().equals(p.workspaceId())
                    : apiKeyBound(p, call);
        };
        return bound ? Optional.empty()
                : Optional.of(Denial.unauthenticated("The credential was issued for a different MCP endpoint.", true));
    }

    private boolean apiKeyBound(Principal p, McpCall call) {
        if (p.projectId() != null) {
            return p.projectId().equals(call.projectId());
        }
        if (p.workspaceId() != null) {
            // A project never changes workspace, so the remembered one is as good as a live read (which happens
            // only the first time this replica sees the project).
            String known = facts.workspaceOf(call.projectId());
            if (known != null) {
                return known.equals(p.workspaceId());
            }
            return call.authz().map(AuthzContext::workspaceId).filter(p.workspaceId()::equals).isPresent();
        }
        return false;
    }
}
