package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.internal.Catalog;
import com.backlogmcp.mcp.neighbour.ToolAnswer;
import com.backlogmcp.mcp.credential.Principal;
import com.backlogmcp.mcp.quota.HeldSlots;
import com.backlogmcp.mcp.quota.RateLimitHeaders;
import io.micronaut.core.annotation.Nullable;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One MCP request travelling through the pipeline: what was asked (project, method, tool, arguments, the scope
 * it needs) and what the steps established on the way (token, principal, live authorization context, quota
 * slots held, result).
 */
public final class McpCall {

    private final String projectId;
    private final String method;
    @Nullable
    private final String authorizationHeader;
    @Nullable
    private final String requestId;
    private final long startedNanos = System.nanoTime();

    @Nullable
    private Catalog.Tool tool;
    private Map<String, Object> arguments = Map.of();
    @Nullable
    private String requiredScope;
    private boolean projectScoped;

    @Nullable
    private String token;
    @Nullable
    private Principal principal;
    @Nullable
    private Supplier<Optional<AuthzContext>> authzLoader;
    @Nullable
    private Optional<AuthzContext> authz;
    private boolean contextFromTool;
    @Nullable
    private HeldSlots slots;
    @Nullable
    private RateLimitHeaders.RateWindow rateWindow;
    private boolean auditSlotHeld;
    private boolean mayHaveRun;
    @Nullable
    private ToolAnswer result;

    public McpCall(String projectId, String method, @Nullable String authorizationHeader, @Nullable String requestId) {
        this.projectId = projectId;
        this.method = method;
        this.authorizationHeader = authorizationHeader;
        this.requestId = requestId;
    }

    /** A call for another message of the same HTTP request, reusing what authentication established. */
    public McpCall sibling(String otherMethod) {
        McpCall c = new McpCall(projectId, otherMethod, authorizationHeader, requestId);
        c.token = token;
        c.principal = principal;
        c.authzLoader = authzLoader;
        c.authz = authz;
        return c;
    }

    public String projectId() {
        return projectId;
    }

    public String method() {
        return method;
    }

    @Nullable
    public String authorizationHeader() {
        return authorizationHeader;
    }

    @Nullable
    public String requestId() {
        return requestId;
    }

    public long startedNanos() {
        return startedNanos;
    }

    public boolean isToolCall() {
        return tool != null;
    }

    @Nullable
    public Catalog.Tool tool() {
        return tool;
    }

    public Map<String, Object> arguments() {
        return arguments;
    }

    /** Marks this call as running {@code t} with {@code args}: its scope, role and plan rules apply. */
    public McpCall forTool(Catalog.Tool t, Map<String, Object> args) {
        this.tool = t;
        this.arguments = args;
        this.requiredScope = t.scope();
        this.projectScoped = true;
        return this;
    }

    /** Marks this call as touching project data guarded by {@code scope} (null: filtered per item instead). */
    public McpCall forProjectData(@Nullable String scope) {
        this.requiredScope = scope;
        this.projectScoped = true;
        return this;
    }

    @Nullable
    public String requiredScope() {
        return requiredScope;
    }

    public boolean projectScoped() {
        return projectScoped;
    }

    @Nullable
    public String token() {
        return token;
    }

    void token(String t) {
        this.token = t;
    }

    @Nullable
    public Principal principal() {
        return principal;
    }

    void principal(Principal p) {
        this.principal = p;
    }

    void authzLoader(Supplier<Optional<AuthzContext>> loader) {
        this.authzLoader = loader;
    }

    /** The live authorization context, fetched at most once per call (empty: the project does not exist). */
    public Optional<AuthzContext> authz() {
        if (authz == null) {
            if (authzLoader == null) {
                throw new IllegalStateException("authorization context needed before credential verification");
            }
            authz = authzLoader.get();
        }
        return authz;
    }

    /** The authorization context if a step already fetched it (never fetches). */
    public Optional<AuthzContext> loadedAuthz() {
        return authz == null ? Optional.empty() : authz;
    }

    /** Whether the context comes from the tool's own answer (the same transaction the tool ran or was refused in). */
    boolean contextFromTool() {
        return contextFromTool;
    }

    /** The live context backlog-service decided the tool call on; replaces any context read before. */
    void contextFromTool(Optional<AuthzContext> ctx) {
        this.authz = ctx;
        this.contextFromTool = true;
    }

    /** The quota slots this call holds (null: none taken, or none needed). */
    @Nullable
    public HeldSlots slots() {
        return slots;
    }

    void slots(@Nullable HeldSlots s) {
        this.slots = s;
    }

    /** The credential's rate window as step 8 saw it, for the rate headers of the answer (null: not metered). */
    @Nullable
    public RateLimitHeaders.RateWindow rateWindow() {
        return rateWindow;
    }

    void rateWindow(@Nullable RateLimitHeaders.RateWindow w) {
        this.rateWindow = w;
    }

    boolean auditSlotHeld() {
        return auditSlotHeld;
    }

    void auditSlotHeld(boolean held) {
        this.auditSlotHeld = held;
    }

    /** False until the tool was sent to backlog-service; false again when it answered that nothing ran. */
    boolean mayHaveRun() {
        return mayHaveRun;
    }

    void mayHaveRun(boolean v) {
        this.mayHaveRun = v;
    }

    @Nullable
    public ToolAnswer result() {
        return result;
    }

    void result(ToolAnswer r) {
        this.result = r;
    }
}
