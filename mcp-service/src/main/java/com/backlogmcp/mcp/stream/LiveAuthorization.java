package com.backlogmcp.mcp.stream;

import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.mcp.catalog.AccessRules;
import com.backlogmcp.mcp.catalog.CatalogCache;
import com.backlogmcp.mcp.neighbour.UpstreamUnavailableException;
import com.backlogmcp.mcp.pipeline.AuthorizationPipeline;
import com.backlogmcp.mcp.pipeline.McpCall;
import io.micronaut.core.annotation.Nullable;
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

    /**
     * May {@code stream}'s credential read {@code uri}, changed in {@code projectId}, right now? On a workspace
     * stream the user must be a member of that project (not just of the workspace): otherwise the notification is
     * skipped, and the stream stays open for the projects they do belong to.
     */
    public Verdict mayRead(LiveStream stream, String uri, @Nullable String projectId) {
        Optional<String> scope = catalog.scopeOfResource(stream.endpoint(), uri);
        if (scope.isEmpty()) {
            return Verdict.SKIP;
        }
        Verdict workspaceWide = decide(stream, scope.get(), null);
        if (workspaceWide != Verdict.DELIVER || !stream.endpoint().isWorkspace() || projectId == null) {
            return workspaceWide;
        }
        return decide(stream, scope.get(), projectId) == Verdict.DELIVER ? Verdict.DELIVER : Verdict.SKIP;
    }

    /** May the credential still use the project (or, on a workspace stream, the workspace) at all? */
    public Verdict mayUseProject(LiveStream stream) {
        return decide(stream, null, null);
    }

    private Verdict decide(LiveStream stream, String scope, @Nullable String touchedProject) {
        McpCall call = new McpCall(stream.endpoint(), "(stream)", stream.authorization(), null);
        if (pipeline.authenticate(call).isPresent()) {
            return Verdict.CLOSE;
        }
        if (touchedProject != null) {
            call.touching(touchedProject);
        }
        Optional<AuthzContext> context;
        try {
            context = call.authz();
        } catch (UpstreamUnavailableException e) {
            return Verdict.SKIP;
        }
        if (context.isEmpty() || AccessRules.role(context.get()).isEmpty() || AccessRules.suspended(context.get())
                || !AccessRules.mcpAddOnOn(context.get())
                || (touchedProject != null && !stream.endpoint().id().equals(context.get().workspaceId()))) {
            return Verdict.CLOSE;
        }
        return AccessRules.holdsScope(call.principal().scopes(), scope) ? Verdict.DELIVER : Verdict.SKIP;
    }
}
