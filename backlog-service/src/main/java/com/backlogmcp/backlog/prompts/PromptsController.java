package com.backlogmcp.backlog.prompts;

import com.backlogmcp.backlog.authz.Admission;
import com.backlogmcp.backlog.catalog.PromptCatalog;
import com.backlogmcp.backlog.support.BadRequest;
import com.backlogmcp.backlog.support.ErrorResponses;
import com.backlogmcp.backlog.support.RequestBodies;
import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.backlog.support.ResultMaps;
import com.backlogmcp.backlog.support.ToolFailure;
import com.backlogmcp.contracts.internal.Catalog;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.transaction.TransactionOperations;

import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code POST /internal/prompts/{name}} {@code {projectId, userId, arguments}} →
 * {@code {description, messages: [{role, content: {type: "text", text}}]}}. MCP prompt arguments are strings.
 */
@Controller("/internal/prompts")
@ExecuteOn(TaskExecutors.BLOCKING)
final class PromptsController {

    private static final Set<String> KEYS = Set.of("projectId", "userId", "arguments");

    private final TransactionOperations<Connection> tx;
    private final Map<String, Catalog.Prompt> prompts;

    PromptsController(TransactionOperations<Connection> tx, PromptCatalog catalog) {
        this.tx = tx;
        this.prompts = catalog.prompts().stream().collect(Collectors.toMap(Catalog.Prompt::name, p -> p));
    }

    @Post("/{name}")
    @Consumes(MediaType.ALL)
    HttpResponse<?> get(@PathVariable String name, @Nullable @Body String body) {
        Catalog.Prompt prompt = prompts.get(name);
        if (prompt == null) {
            return HttpResponse.notFound(Map.of("error", "unknown_prompt", "message", "no prompt named " + name));
        }
        var request = RequestBodies.object(body, KEYS);
        String projectId = RequestBodies.requiredText(request, "projectId");
        String userId = RequestBodies.requiredText(request, "userId");
        Map<String, String> args = new LinkedHashMap<>();
        var rawArgs = RequestBodies.optionalObject(request, "arguments");
        Set<String> known = prompt.arguments().stream().map(Catalog.PromptArgument::name).collect(Collectors.toSet());
        if (rawArgs != null) {
            rawArgs.fields().forEachRemaining(e -> {
                if (!known.contains(e.getKey())) {
                    throw new BadRequest("invalid_request", "unknown argument " + e.getKey() + " for prompt " + name);
                }
                if (!e.getValue().isTextual()) {
                    throw new BadRequest("invalid_request", "argument " + e.getKey() + " must be a string");
                }
                args.put(e.getKey(), e.getValue().asText());
            });
        }
        try {
            PromptBuilder.Built built = tx.executeRead(status -> {
                ConnectionQueries sql = new ConnectionQueries(status.getConnection());
                Admission.admit(sql, projectId, userId, "prompt " + name, PromptBuilder.minRole(name), false);
                return PromptBuilder.build(sql, projectId, name, args);
            });
            return HttpResponse.ok(ResultMaps.of("description", built.description(), "messages", List.of(
                    ResultMaps.of("role", "user", "content", ResultMaps.of("type", "text", "text", built.text())))));
        } catch (ToolFailure f) {
            return ErrorResponses.of(f);
        }
    }
}
