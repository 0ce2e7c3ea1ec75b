package com.backlogmcp.backlog.completions;

import com.backlogmcp.backlog.authz.Admission;
import com.backlogmcp.backlog.catalog.PromptCatalog;
import com.backlogmcp.backlog.items.Item;
import com.backlogmcp.backlog.support.BadRequest;
import com.backlogmcp.backlog.support.ErrorResponses;
import com.backlogmcp.backlog.support.RequestBodies;
import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.backlog.support.ResultMaps;
import com.backlogmcp.backlog.support.ToolFailure;
import com.backlogmcp.contracts.vocabulary.Role;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.transaction.TransactionOperations;

import java.sql.Connection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /internal/completions} {@code {projectId, userId, ref: {type, name|uri}, argument: {name, value}}} →
 * {@code {values, total, hasMore}} (at most 100 values, as MCP completion/complete allows).
 */
@Controller("/internal/completions")
@ExecuteOn(TaskExecutors.BLOCKING)
final class CompletionsController {

    static final int MAX_VALUES = 100;
    private static final Set<String> KEYS = Set.of("projectId", "userId", "ref", "argument");
    private static final Map<String, Map<String, List<String>>> PROMPT_VALUES = Map.of(
            PromptCatalog.SUMMARISE_PROJECT_STATUS, Map.of("audience", List.of("team", "stakeholders", "customers", "executives")),
            PromptCatalog.CREATE_ISSUE_FROM_CONTEXT, Map.of("type", Item.TYPES),
            PromptCatalog.TRIAGE_INBOX, Map.of("limit", List.of("5", "10", "20")));

    private final TransactionOperations<Connection> tx;

    CompletionsController(TransactionOperations<Connection> tx) {
        this.tx = tx;
    }

    @Post
    @Consumes(MediaType.ALL)
    HttpResponse<?> complete(@Nullable @Body String body) {
        var request = RequestBodies.object(body, KEYS);
        String projectId = RequestBodies.requiredText(request, "projectId");
        String userId = RequestBodies.requiredText(request, "userId");
        var ref = RequestBodies.optionalObject(request, "ref");
        var argument = RequestBodies.optionalObject(request, "argument");
        if (ref == null || argument == null) {
            throw new BadRequest("invalid_request", "ref and argument are required");
        }
        String type = RequestBodies.requiredText(ref, "type");
        String argName = RequestBodies.requiredText(argument, "name");
        String value = RequestBodies.optionalText(argument, "value");
        String prefix = value == null ? "" : value;
        try {
            return HttpResponse.ok(tx.executeRead(status -> {
                ConnectionQueries sql = new ConnectionQueries(status.getConnection());
                Admission.admit(sql, projectId, userId, "completion", Role.VIEWER, false);
                List<String> all = switch (type) {
                    case "ref/prompt" -> PROMPT_VALUES.getOrDefault(RequestBodies.optionalText(ref, "name"), Map.of())
                            .getOrDefault(argName, List.of()).stream()
                            .filter(v -> v.startsWith(prefix.toLowerCase(Locale.ROOT))).toList();
                    case "ref/resource" -> "backlog://items/{id}".equals(RequestBodies.optionalText(ref, "uri"))
                            && "id".equals(argName) ? itemIds(sql, projectId, prefix) : List.of();
                    default -> throw new BadRequest("invalid_request", "ref.type must be ref/prompt or ref/resource");
                };
                List<String> values = all.size() > MAX_VALUES ? all.subList(0, MAX_VALUES) : all;
                return ResultMaps.of("values", values, "total", all.size(), "hasMore", all.size() > MAX_VALUES);
            }));
        } catch (ToolFailure f) {
            return ErrorResponses.of(f);
        }
    }

    /** Item ids of this project starting with the typed value, or whose title contains it; recent first. */
    private static List<String> itemIds(ConnectionQueries sql, String projectId, String typed) {
        String like = typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return sql.list("""
                SELECT id FROM items WHERE project_id = ? AND (id LIKE ? OR title ILIKE ?)
                 ORDER BY updated_at DESC, id DESC LIMIT ?""", rs -> rs.getString(1),
                projectId, like + "%", "%" + like + "%", MAX_VALUES + 1);
    }
}
