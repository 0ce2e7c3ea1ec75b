package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.internal.Catalog;
import com.backlogmcp.mcp.catalog.ToolReach;
import com.backlogmcp.mcp.credential.Principal;
import com.backlogmcp.mcp.endpoint.Endpoint;
import com.backlogmcp.mcp.neighbour.ToolAnswer;
import com.backlogmcp.mcp.quota.HeldSlots;
import com.backlogmcp.mcp.quota.RateLimitHeaders;
import io.micronaut.core.annotation.Nullable;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One MCP request travelling through the pipeline: what was asked (endpoint, the project it touches, method, tool,
 * arguments, the scope it needs) and what the steps established on the way (token, principal, live authorization
 * context, quota slots held, result).
 * <p>
 * On a project endpoint the call always touches that project. On a workspace endpoint it touches the project a
 * tool's {@code projectId} argument names ({@link #touching}), or none: then it runs across the workspace and its
 * live context is the workspace's (see {@link #authz()}).
 */
public final class McpCall {

    private final Endpoint endpoint;
    @Nullable
    private String projectId;
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
    private Function<McpCall, Optional<AuthzContext>> authzLoader;
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

    /** A call on the project endpoint of {@code projectId}. */
    public McpCall(String projectId, String method, @Nullable String authorizationHeader, @Nullable String requestId) {
        this(Endpoint.project(projectId), method, authorizationHeader, requestId);
    }

    public McpCall(Endpoint endpoint, String method, @Nullable String authorizationHeader, @Nullable String requestId) {
        this.endpoint = endpoint;
        this.projectId = endpoint.isWorkspace() ? null : endpoint.id();
        this.method = method;
        this.authorizationHeader = authorizationHeader;
        this.requestId = requestId;
    }

    /**
     * A call for another message of the same HTTP request, reusing what authentication established. On a workspace
     * endpoint the sibling starts touching no project and reads its own context: another message may touch
     * another project.
     */
    public McpCall sibling(String otherMethod) {
        McpCall c = new McpCall(endpoint, otherMethod, authorizationHeader, requestId);
        c.token = token;
        c.principal = principal;
        c.authzLoader = authzLoader;
        if (!endpoint.isWorkspace()) {
            c.authz = authz;
        }
        return c;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** The project this call touches: the endpoint's, or on a workspace endpoint the one named (null: none). */
    @Nullable
    public String projectId() {
        return projectId;
    }

    /**
     * Marks a call on a workspace endpoint as touching {@code project}: membership, role, plan, quota and the tool
     * run are then that project's. Does nothing on a project endpoint, whose project is fixed by the URL.
     */
    public McpCall touching(String project) {
        if (endpoint.isWorkspace() && !project.equals(projectId)) {
            projectId = project;
            authz = null;
        }
        return this;
    }

    /** Whether this call touches no single project: a call across a workspace (its projects, a search of all). */
    public boolean acrossWorkspace() {
        return projectId == null;
    }

    /** The key quota is counted and the audit event filed under: the touched project, else the workspace. */
    public String meteredUnder() {
        return projectId != null ? projectId : endpoint.id();
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

    /**
     * Marks this call as running {@code t} with {@code args}: its scope, role and plan rules apply. On a workspace
     * endpoint the {@code projectId} argument, when it is a string, names the project the call touches (step 7
     * refuses any other value, and a missing one where the tool needs it).
     */
    public McpCall forTool(Catalog.Tool t, Map<String, Object> args) {
        this.tool = t;
        this.arguments = args;
        this.requiredScope = t.scope();
        this.projectScoped = true;
        if (args.get(ToolReach.PROJECT_ID) instanceof String named) {
            touching(named);
        }
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

    void authzLoader(Function<McpCall, Optional<AuthzContext>> loader) {
        this.authzLoader = loader;
    }

    /**
     * The live authorization context, fetched at most once per call (empty: the project does not exist). For a call
     * across a workspace it is the workspace's: its flags and plan, {@code projectId} null, and as {@code role} the
     * highest role the user holds in any of its projects (null: a member of none).
     */
    public Optional<AuthzContext> authz() {
        if (authz == null) {
            if (authzLoader == null) {
                throw new IllegalStateException("authorization context needed before credential verification");
            }
            authz = authzLoader.apply(this);
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
