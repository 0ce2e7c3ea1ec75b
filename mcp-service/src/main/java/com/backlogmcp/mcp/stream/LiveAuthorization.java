package com.backlogmcp.mcp.stream;

import com.backlogmcp.contracts.vocabulary.ErrorType;
import com.backlogmcp.mcp.catalog.CatalogCache;
import com.backlogmcp.mcp.pipeline.AuthorizationPipeline;
import com.backlogmcp.mcp.pipeline.Denial;
import com.backlogmcp.mcp.pipeline.McpCall;
import jakarta.inject.Singleton;

import java.util.Optional;
import java.util.Set;

/**
 * Authorization kept live on streams: before a notification goes out, the stream's credential is checked again,
 * through the same pipeline a request takes (authentication of the Authorization it was opened with — expiry and
 * revocation included — then membership, add-on, suspension and the scope the resource needs). The answer is per
 * delivery, never remembered.
 */
@Singleton
public class LiveAuthorization {

    /** What the stream may do now. */
    public enum Verdict { DELIVER, SKIP, CLOSE }

    /** Refusals that concern the caller, not this one resource: the stream has nothing left to carry. */
    private static final Set<ErrorType> ENDS_THE_STREAM = Set.of(ErrorType.UNAUTHENTICATED, ErrorType.NOT_A_MEMBER,
            ErrorType.MCP_DISABLED, ErrorType.WORKSPACE_SUSPENDED, ErrorType.FORBIDDEN);

    private final AuthorizationPipeline pipeline;
    private final CatalogCache catalog;

    LiveAuthorization(AuthorizationPipeline pipeline, CatalogCache catalog) {
        this.pipeline = pipeline;
        this.catalog = catalog;
    }

    /** May {@code stream}'s credential read {@code uri} right now? */
    public Verdict mayRead(LiveStream stream, String uri) {
        Optional<String> scope = catalog.current().scopeOfResource(uri, stream.projectId());
        if (scope.isEmpty()) {
            return Verdict.SKIP;
        }
        return decide(stream, "resources/read", scope.get());
    }

    /** May the credential still use the project at all (for list_changed and membership changes)? */
    public Verdict mayUseProject(LiveStream stream) {
        return decide(stream, "tools/list", null);
    }

    private Verdict decide(LiveStream stream, String method, String scope) {
        McpCall call = new McpCall(stream.projectId(), method, stream.authorization(), null);
        Optional<Denial> denial = pipeline.authenticate(call);
        if (denial.isEmpty()) {
            denial = pipeline.authorize(call.sibling(method).forProjectData(scope));
        }
        if (denial.isEmpty()) {
            return Verdict.DELIVER;
        }
        if (denial.get().errorType() == ErrorType.UPSTREAM_UNAVAILABLE) {
            return Verdict.SKIP;
        }
        return ENDS_THE_STREAM.contains(denial.get().errorType()) ? Verdict.CLOSE : Verdict.SKIP;
    }
}
