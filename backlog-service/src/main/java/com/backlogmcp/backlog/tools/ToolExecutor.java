package com.backlogmcp.backlog.tools;

import com.backlogmcp.backlog.authz.Admission;
import com.backlogmcp.backlog.authz.WorkspaceAdmission;
import com.backlogmcp.backlog.catalog.ToolDefinition;
import com.backlogmcp.backlog.outbox.Outbox;
import com.backlogmcp.backlog.outbox.OutboxRelay;
import com.backlogmcp.backlog.support.Json;
import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.backlog.support.ToolFailure;
import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.internal.ToolCallRequest;
import com.backlogmcp.contracts.internal.ToolCallResult;
import com.backlogmcp.contracts.vocabulary.Role;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs one tool for an acting user in a project, in this order: the live role check (and, defensively, the
 * workspace flags the edge already checked), schema validation, the acting user and client for the item history
 * (write tools), the handler inside one transaction (read-only for
 * read tools), the change events into the outbox in that same transaction, and a relay wake-up after commit. A write
 * called with {@code dry_run: true} runs the same way and is then rolled back, so its answer is exactly what the
 * call would have done.
 * Any {@link ToolFailure} rolls the transaction back and becomes an {@code isError} result.
 */
@Singleton
public final class ToolExecutor {

    private final Map<String, ToolHandler> handlers;
    private final Map<String, InputValidator> validators;
    private final TransactionOperations<Connection> tx;
    private final OutboxRelay relay;

    ToolExecutor(ToolCatalog catalog, TransactionOperations<Connection> tx, OutboxRelay relay) {
        this.handlers = catalog.handlers().stream()
                .collect(Collectors.toMap(h -> h.definition().name(), Function.identity()));
        this.validators = catalog.handlers().stream()
                .collect(Collectors.toMap(h -> h.definition().name(), h -> new InputValidator(h.definition())));
        this.tx = tx;
        this.relay = relay;
    }

    /** The tool exists in the project view (workspace-only tools do not). */
    public boolean knows(String tool) {
        return handlers.containsKey(tool) && handlers.get(tool).definition().reach() != ToolDefinition.Reach.WORKSPACE;
    }

    public boolean knowsInWorkspace(String tool) {
        return handlers.containsKey(tool);
    }

    public ToolCallResult execute(String tool, String projectId, String userId, JsonNode arguments) {
        return execute(tool, projectId, userId, null, arguments, null);
    }

    /**
     * Runs {@code tool} unless the live checks refuse it. The checks (membership and role, suspension, add-on,
     * plan) read the same transaction the tool then runs in, so nothing can change between the check and the
     * tool; {@code requires} (the caller's view of the tool) can only make them stricter. The answer carries the
     * context they were decided on, so the edge needs no separate authorization round trip: a refused call comes
     * back with {@code admitted = false} and nothing ran. {@code clientId} is the client the user acts through;
     * the item history records it beside the user.
     */
    public ToolCallResult execute(String tool, String projectId, String userId, @Nullable String clientId, JsonNode arguments,
                                  ToolCallRequest.@Nullable Requirements requires) {
        return execute(tool, projectId, userId, clientId, arguments, requires, CallDeadline.NONE);
    }

    /** As above; nothing runs, and nothing commits, once {@code deadline} has passed ({@link CallDeadline.Passed}). */
    public ToolCallResult execute(String tool, String projectId, String userId, @Nullable String clientId, JsonNode arguments,
                                  ToolCallRequest.@Nullable Requirements requires, CallDeadline deadline) {
        return execute(tool, null, projectId, userId, clientId, arguments, requires, deadline);
    }

    /**
     * A call on a workspace endpoint. The project it touches is {@code projectId} (the edge's choice) or the
     * {@code projectId} argument, which must be a project of the workspace; without one, a PROJECT tool is a
     * VALIDATION_ERROR that points to list_projects, and an ANY or WORKSPACE tool runs across the workspace.
     */
    public ToolCallResult executeInWorkspace(String tool, String workspaceId, @Nullable String projectId, String userId,
                                             @Nullable String clientId, JsonNode arguments,
                                             ToolCallRequest.@Nullable Requirements requires) {
        return executeInWorkspace(tool, workspaceId, projectId, userId, clientId, arguments, requires, CallDeadline.NONE);
    }

    public ToolCallResult executeInWorkspace(String tool, String workspaceId, @Nullable String projectId, String userId,
                                             @Nullable String clientId, JsonNode arguments,
                                             ToolCallRequest.@Nullable Requirements requires, CallDeadline deadline) {
        deadline.requireNotPassed();
        ToolDefinition definition = handlers.get(tool).definition();
        String chosen = projectId;
        JsonNode args = arguments;
        if (arguments instanceof ObjectNode o && o.has(ToolDefinition.PROJECT_ID)) {
            JsonNode named = o.get(ToolDefinition.PROJECT_ID);
            if (!named.isTextual() || (chosen != null && !chosen.equals(named.asText()))) {
                return failure(ToolFailure.invalid(ToolDefinition.PROJECT_ID, "must be a project id (prj_…)"));
            }
            chosen = named.asText();
            ObjectNode rest = o.deepCopy();
            rest.remove(ToolDefinition.PROJECT_ID);
            args = rest;
        }
        if (chosen != null && definition.reach() == ToolDefinition.Reach.WORKSPACE) {
            return failure(ToolFailure.invalid(ToolDefinition.PROJECT_ID, "is not an argument of " + tool));
        }
        if (chosen == null && definition.reach() == ToolDefinition.Reach.PROJECT) {
            return failure(ToolFailure.invalid(ToolDefinition.PROJECT_ID,
                    "is required on the workspace endpoint: " + tool + " acts in one project.",
                    "Call list_projects to find the project's id, then pass it as projectId."));
        }
        if (chosen == null) {
            return executeAcross(handlers.get(tool), workspaceId, userId, args, requires);
        }
        return execute(tool, workspaceId, chosen, userId, clientId, args, requires, deadline);
    }

    /**
     * A call across the workspace, decided as a project call is: the live checks ({@link WorkspaceAdmission#decide})
     * read the same transaction the tool then runs in, nothing runs when they refuse, and the answer carries the
     * workspace access they read, so the edge decides its steps 5–6 on it without a separate round trip.
     */
    private ToolCallResult executeAcross(ToolHandler handler, String workspaceId, String userId, JsonNode arguments,
                                         ToolCallRequest.@Nullable Requirements requires) {
        ToolDefinition definition = handler.definition();
        Role minRole = stricter(definition.minRole(), requires);
        boolean write = definition.write() || (requires != null && requires.write());
        WorkspaceAdmission.Verdict[] verdict = {null};
        try {
            // Every tool that reaches across a workspace reads (list_projects, search, list_activity).
            Map<String, Object> result = tx.executeRead(status ->
                    runAcross(handler, status.getConnection(), workspaceId, userId, arguments, minRole, write, verdict));
            if (!verdict[0].admitted()) {
                return failure(verdict[0].refusal()).decidedAcross(verdict[0].access(), false);
            }
            return new ToolCallResult(false, result).decidedAcross(verdict[0].access(), true);
        } catch (ToolFailure f) {
            return verdict[0] == null ? failure(f) : failure(f).decidedAcross(verdict[0].access(), verdict[0].admitted());
        }
    }

    private ToolCallResult execute(String tool, @Nullable String workspaceId, String projectId, String userId,
                                   @Nullable String clientId, JsonNode arguments,
                                   ToolCallRequest.@Nullable Requirements requires, CallDeadline deadline) {
        deadline.requireNotPassed();
        ToolHandler handler = handlers.get(tool);
        ToolDefinition definition = handler.definition();
        Role minRole = stricter(definition.minRole(), requires);
        boolean write = definition.write() || (requires != null && requires.write());
        Admission.Verdict[] verdict = {null};
        try {
            boolean[] wroteEvents = {false};
            Map<String, Object> result = definition.write()
                    ? tx.executeWrite(status -> {
                        Map<String, Object> r = run(handler, status.getConnection(), workspaceId, projectId, userId, clientId, arguments, minRole, write, verdict, wroteEvents);
                        if (r.containsKey(ToolDefinition.DRY_RUN)) {
                            // A dry run did all the work of the call; rolling back leaves no row, history or event.
                            status.setRollbackOnly();
                        }
                        // Last moment before the commit: a caller that has given up must not see this call run.
                        deadline.requireNotPassed();
                        return r;
                    })
                    : tx.executeRead(status -> run(handler, status.getConnection(), workspaceId, projectId, userId, clientId, arguments, minRole, write, verdict, wroteEvents));
            if (wroteEvents[0]) {
                relay.wake();
            }
            if (!verdict[0].admitted()) {
                return failure(verdict[0].refusal()).decidedOn(verdict[0].context(), false);
            }
            return new ToolCallResult(false, result).decidedOn(verdict[0].context(), true);
        } catch (ToolFailure f) {
            return decided(failure(f), verdict[0]);
        } catch (ConnectionQueries.DataAccessFailure e) {
            if (e.sqlState() != null && (e.sqlState().startsWith("23") || e.sqlState().startsWith("40"))) {
                // A constraint or serialization race with a concurrent call: nothing was written; retrying is safe.
                return decided(failure(ToolFailure.conflict("A concurrent change conflicted with this call; nothing was changed.",
                        "Fetch the record again and retry the call.")), verdict[0]);
            }
            if (e.rejectedInput()) {
                // The input passed the schema but not the database (a value out of range, too long for an index, …):
                // the caller's mistake, and retrying it unchanged would fail the same way.
                return decided(failure(ToolFailure.invalid("arguments", "a value cannot be stored (" + e.sqlState()
                        + "); check lengths and number ranges")), verdict[0]);
            }
            throw e;
        }
    }

    private static ToolCallResult decided(ToolCallResult result, Admission.@Nullable Verdict verdict) {
        return verdict == null ? result : result.decidedOn(verdict.context(), verdict.admitted());
    }

    private static Role stricter(Role own, ToolCallRequest.@Nullable Requirements requires) {
        if (requires == null) {
            return own;
        }
        // An unknown role name from the caller is treated as the highest one: fail closed.
        Role asked = Role.fromWire(requires.minRole()).orElse(Role.OWNER);
        return asked.atLeast(own) ? asked : own;
    }

    private Map<String, Object> run(ToolHandler handler, Connection connection, @Nullable String workspaceId,
                                    String projectId, String userId, @Nullable String clientId, JsonNode arguments,
                                    Role minRole, boolean write, Admission.Verdict[] verdict, boolean[] wroteEvents) {
        ConnectionQueries sql = new ConnectionQueries(connection);
        ToolDefinition definition = handler.definition();
        if (workspaceId != null) {
            WorkspaceAdmission.requireProjectIn(sql, workspaceId, projectId);
        }
        verdict[0] = Admission.decide(sql, projectId, userId, definition.name(), minRole, write);
        if (!verdict[0].admitted()) {
            return Map.of();
        }
        AuthzContext context = verdict[0].context();
        ObjectNode args = arguments == null || arguments.isNull() ? Json.MAPPER.createObjectNode()
                : arguments instanceof ObjectNode o ? o : null;
        if (args == null) {
            throw ToolFailure.invalid("arguments", "must be a JSON object");
        }
        validators.get(definition.name()).validate(args);
        boolean dryRun = definition.write() && args.path(ToolDefinition.DRY_RUN).asBoolean(false);
        args.remove(ToolDefinition.DRY_RUN);
        if (definition.write()) {
            ChangeAuthor.set(sql, userId, clientId);
        }
        ToolCall call = new ToolCall(projectId, userId, Role.fromWire(context.role()).orElseThrow(),
                new Arguments(args), sql);
        Map<String, Object> result = handler.call(call);
        if (dryRun) {
            Map<String, Object> preview = new LinkedHashMap<>(result);
            preview.put(ToolDefinition.DRY_RUN, true);
            return preview;
        }
        if (!call.changedUris().isEmpty()) {
            Outbox.resourcesChanged(sql, context.workspaceId(), projectId, new ArrayList<>(call.changedUris()));
            wroteEvents[0] = true;
        }
        for (String member : call.membershipChanges()) {
            Outbox.membershipChanged(sql, context.workspaceId(), projectId, member);
            wroteEvents[0] = true;
        }
        return result;
    }

    /** A read across the workspace: only the projects where the user's role reaches the tool's minimum. */
    private Map<String, Object> runAcross(ToolHandler handler, Connection connection, String workspaceId,
                                          String userId, JsonNode arguments, Role minRole, boolean write,
                                          WorkspaceAdmission.Verdict[] verdict) {
        ConnectionQueries sql = new ConnectionQueries(connection);
        ToolDefinition definition = handler.definition();
        verdict[0] = WorkspaceAdmission.decide(sql, workspaceId, userId, definition.name(), minRole, write);
        if (!verdict[0].admitted()) {
            return Map.of();
        }
        WorkspaceAdmission.Context context = verdict[0].context();
        ObjectNode args = arguments == null || arguments.isNull() ? Json.MAPPER.createObjectNode()
                : arguments instanceof ObjectNode o ? o : null;
        if (args == null) {
            throw ToolFailure.invalid("arguments", "must be a JSON object");
        }
        validators.get(definition.name()).validate(args);
        return handler.call(ToolCall.acrossWorkspace(workspaceId, context.projectsWith(minRole), userId,
                new Arguments(args), sql));
    }

    public static ToolCallResult failure(ToolFailure f) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("error_type", f.type().name());
        content.put("message", f.getMessage());
        content.put("hint", f.hint());
        if (f.nextAction() != null) {
            content.put("next_action", f.nextAction());
        }
        if (f.field() != null) {
            content.put("field", f.field());
        }
        return new ToolCallResult(true, content);
    }
}
