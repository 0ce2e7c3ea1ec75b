package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.mcp.credential.AccessTokenVerifier;
import com.backlogmcp.mcp.credential.ApiKeyIntrospector;
import com.backlogmcp.mcp.credential.CredentialRejected;
import com.backlogmcp.mcp.credential.GrantDenylist;
import com.backlogmcp.mcp.credential.Principal;
import com.backlogmcp.mcp.neighbour.BacklogClient;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Step 2: the credential is genuine and alive. An access token is verified locally (signature against the
 * cached JWKS, {@code typ}, issuer, expiry); an API key ({@code bmcp_…}) is introspected (cached ≤ 30 s).
 * Either way, a grant or key revoked on {@code auth.grants.v1} is refused at once, whatever its token says.
 */
@Singleton
final class CredentialVerificationStep extends OrderedStep {

    static final int ORDER = 2;

    private final AccessTokenVerifier accessTokens;
    private final ApiKeyIntrospector apiKeys;
    private final GrantDenylist denylist;
    private final BacklogClient backlog;
    private final ProjectFacts facts;

    CredentialVerificationStep(AccessTokenVerifier accessTokens, ApiKeyIntrospector apiKeys, GrantDenylist denylist,
                               BacklogClient backlog, ProjectFacts facts) {
        super(ORDER, EVERY_CALL);
        this.accessTokens = accessTokens;
        this.apiKeys = apiKeys;
        this.denylist = denylist;
        this.backlog = backlog;
        this.facts = facts;
    }

    @Override
    public Optional<Denial> apply(McpCall call) {
        Principal principal;
        try {
            principal = ApiKeyIntrospector.isApiKey(call.token()) ? apiKeys.verify(call.token()) : accessTokens.verify(call.token());
        } catch (CredentialRejected e) {
            return Optional.of(Denial.unauthenticated("The credential is invalid or expired.", true));
        }
        if (principal.credentialId() == null || denylist.isRevoked(principal.credentialId())) {
            return Optional.of(Denial.unauthenticated("The credential has been revoked.", true));
        }
        call.principal(principal);
        // The live context is read only when a step needs it before the tool's own answer brings it (see
        // AuthorizationPipeline); whatever is read teaches ProjectFacts the project's workspace and plan. A call
        // across a workspace reads the workspace's context instead (and teaches its plan).
        call.authzLoader(c -> {
            Optional<AuthzContext> ctx = c.acrossWorkspace()
                    ? WorkspaceContext.of(backlog.workspaceAccess(c.endpoint().id(), principal.userId()))
                    : backlog.authz(c.projectId(), principal.userId());
            ctx.ifPresent(facts::learn);
            return ctx;
        });
        return Optional.empty();
    }
}
