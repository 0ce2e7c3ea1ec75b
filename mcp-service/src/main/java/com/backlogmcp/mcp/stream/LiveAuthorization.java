package com.backlogmcp.mcp.stream;

import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.mcp.catalog.AccessRules;
import com.backlogmcp.mcp.catalog.CatalogCache;
import com.backlogmcp.mcp.neighbour.UpstreamUnavailableException;
import com.backlogmcp.mcp.pipeline.AuthorizationPipeline;
import com.backlogmcp.mcp.pipeline.McpCall;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Authorization kept live on streams: before a notification goes out, the stream's credential is checked again —
 * authentication of the Authorization it was opened with (steps 1–3: expiry and revocation included), then the
 * edge's access rules (scope, membership, suspension, add-on) on a fresh read of the live context. Not the whole
 * pipeline: a notification is the server's doing, so it must not spend the caller's per-minute rate (step 8). The
 * answer is per delivery, never remembered.
 */
@Singleton
public class LiveAuthorization {

    /** What the stream may do now. */
    public enum Verdict { DELIVER, SKIP, CLOSE }

    private final AuthorizationPipeline pipeline;
    private final CatalogCache catalog;

    LiveAuthorization(AuthorizationPipeline pipeline, CatalogCache catalog) {
        this.pipeline = pipeline;
        this.catalog = catalog;
    }

    /** May {@code stream}'s credential read {@code uri} right now? */
    public Verdict mayRead(LiveStream stream, String uri) {
        Optional<String> scope = catalog.current().scopeOfResource(uri, stream.projectId());
        return scope.isEmpty() ? Verdict.SKIP : decide(stream, scope.get());
    }

    /** May the credential still use the project at all (for list_changed and membership changes)? */
    public Verdict mayUseProject(LiveStream stream) {
        return decide(stream, null);
    }

    private Verdict decide(LiveStream stream, String scope) {
        McpCall call = new McpCall(stream.projectId(), "(stream)", stream.authorization(), null);
        if (pipeline.authenticate(call).isPresent()) {
            return Verdict.CLOSE;
        }
        Optional<AuthzContext> context;
        try {
            context = call.authz();
        } catch (UpstreamUnavailableException e) {
            return Verdict.SKIP;
        }
        if (context.isEmpty() || AccessRules.role(context.get()).isEmpty() || AccessRules.suspended(context.get())
                || !AccessRules.mcpAddOnOn(context.get())) {
            return Verdict.CLOSE;
        }
        return AccessRules.holdsScope(call.principal().scopes(), scope) ? Verdict.DELIVER : Verdict.SKIP;
    }
}
