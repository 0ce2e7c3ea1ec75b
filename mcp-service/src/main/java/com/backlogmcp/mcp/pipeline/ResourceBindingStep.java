package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.vocabulary.ErrorType;
import com.backlogmcp.mcp.catalog.ToolReach;
import com.backlogmcp.mcp.endpoint.Endpoint;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Step 7: every id in the arguments belongs to the project the call touches. backlog-service is the authority (it
 * alone knows which item, comment or release lives where, and answers NOT_FOUND for a foreign id inside the tool).
 * The edge refuses up front what it can see without a database: an argument naming another project, by a
 * {@code projectId} field or a {@code backlog://projects/…} URI. On a project endpoint the project comes from the
 * URL. On a workspace endpoint it is the {@code projectId} argument: required by a tool that acts in one project
 * (the refusal says to call list_projects), and it must be a project of this workspace — checked here, before
 * step 8 could charge another workspace's project. A call across the workspace may name no project anywhere.
 */
@Singleton
final class ResourceBindingStep extends OrderedStep {

    static final int ORDER = 7;
    private static final Set<String> PROJECT_KEYS = Set.of("projectId", "project_id", "project");
    private static final Pattern PROJECT_URI = Pattern.compile("backlog://projects/([^/?#]+)");
    private static final int MAX_DEPTH = 32;

    private final ProjectFacts facts;

    ResourceBindingStep(ProjectFacts facts) {
        super(ORDER, TOOL_CALLS);
        this.facts = facts;
    }

    @Override
    public Optional<Denial> apply(McpCall call) {
        if (call.endpoint().isWorkspace()) {
            Optional<Denial> unbound = workspaceBinding(call);
            if (unbound.isPresent()) {
                return unbound;
            }
        }
        Optional<String> foreign = foreignProject(call.arguments(), call.projectId(), 0);
        return foreign.map(other -> Denial.of(ErrorType.NOT_FOUND, 200,
                "No such record in this project: the arguments refer to another project (" + other + ")."));
    }

    private Optional<Denial> workspaceBinding(McpCall call) {
        Object named = call.arguments().get(ToolReach.PROJECT_ID);
        if (named != null && !(named instanceof String s && Endpoint.wellFormed(s))) {
            return Optional.of(invalidProjectId("projectId: must be a project id (prj_…)"));
        }
        if (call.acrossWorkspace()) {
            return ToolReach.needsProject(call.tool())
                    ? Optional.of(invalidProjectId("projectId: is required on the workspace endpoint: " + call.tool().name()
                    + " acts in one project."))
                    : Optional.empty();
        }
        // A project never changes workspace: the one remembered is as good as a live read, which happens only the
        // first time this replica sees the project (and is then the context steps 5–6 decide on if they must).
        String workspace = facts.workspaceOf(call.projectId());
        if (workspace == null) {
            workspace = call.authz().map(AuthzContext::workspaceId).orElse(null);
        }
        return call.endpoint().id().equals(workspace) ? Optional.empty() : Optional.of(MembershipStep.notInWorkspace(call));
    }

    private static Denial invalidProjectId(String message) {
        return Denial.of(ErrorType.VALIDATION_ERROR, 200, message)
                .withHint("Call list_projects to find the project's id, then pass it as projectId.")
                .withDetails(Map.of("field", ToolReach.PROJECT_ID,
                        "next_action", Map.of("tool", "list_projects", "arguments", Map.of())));
    }

    private static Optional<String> foreignProject(Object value, @Nullable String projectId, int depth) {
        if (depth > MAX_DEPTH) {
            return Optional.of("(too deeply nested)");
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (PROJECT_KEYS.contains(String.valueOf(e.getKey())) && e.getValue() instanceof String s && !s.equals(projectId)) {
                    // projectId null: a call across a workspace, where any project named is one it does not touch.
                    return Optional.of(s);
                }
                Optional<String> inner = foreignProject(e.getValue(), projectId, depth + 1);
                if (inner.isPresent()) {
                    return inner;
                }
            }
        } else if (value instanceof Collection<?> list) {
            for (Object o : list) {
                Optional<String> inner = foreignProject(o, projectId, depth + 1);
                if (inner.isPresent()) {
                    return inner;
                }
            }
        } else if (value instanceof String s) {
            Matcher m = PROJECT_URI.matcher(s);
            while (m.find()) {
                if (!m.group(1).equals(projectId)) {
                    return Optional.of(m.group(1));
                }
            }
        }
        return Optional.empty();
    }
}
