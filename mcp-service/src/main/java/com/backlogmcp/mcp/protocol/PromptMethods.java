package com.backlogmcp.mcp.protocol;

import com.backlogmcp.contracts.internal.Catalog;
import com.backlogmcp.mcp.catalog.CatalogCache;
import com.backlogmcp.mcp.catalog.CatalogIndex;
import com.backlogmcp.mcp.neighbour.BacklogClient;
import com.backlogmcp.mcp.pipeline.McpCall;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** prompts/list, prompts/get and completion/complete (argument completion for prompts and resource templates). */
@Singleton
final class PromptMethods implements McpMethodHandler {

    private static final int MAX_COMPLETIONS = 100;

    private final CatalogCache catalog;
    private final ProjectCallAuthorizer access;
    private final BacklogClient backlog;
    private final CatalogListing listing;

    PromptMethods(CatalogCache catalog, ProjectCallAuthorizer access, BacklogClient backlog, CatalogListing listing) {
        this.catalog = catalog;
        this.access = access;
        this.backlog = backlog;
        this.listing = listing;
    }

    @Override
    public Set<String> methods() {
        return Set.of("prompts/list", "prompts/get", "completion/complete");
    }

    @Override
    public McpReply handle(McpRequest request) {
        return access.unlessUpstreamUnavailable(request, () -> switch (request.method()) {
            case "prompts/list" -> list(request);
            case "prompts/get" -> get(request);
            default -> complete(request);
        });
    }

    private McpReply list(McpRequest request) {
        return listing.list(request, "prompts", call -> {
            Set<String> scopes = call.principal().scopes();
            return catalog.of(request.endpoint()).prompts().stream()
                    .filter(p -> scopes.contains(p.scope())).map(PromptMethods::describe).toList();
        });
    }

    private McpReply get(McpRequest request) {
        String name = request.stringParam("name");
        Map<String, Object> arguments = request.objectParam("arguments");
        Map<String, Object> args = arguments == null ? Map.of() : arguments;
        Catalog.Prompt prompt = catalog.of(request.endpoint()).prompt(name).orElseThrow(() -> McpError.invalidParams("Unknown prompt: " + name));
        for (Object v : args.values()) {
            if (!(v instanceof String)) {
                throw McpError.invalidParams("Prompt arguments must be strings");
            }
        }
        if (prompt.arguments() != null) {
            for (Catalog.PromptArgument a : prompt.arguments()) {
                if (a.required() && !args.containsKey(a.name())) {
                    throw McpError.invalidParams("Missing required argument: " + a.name());
                }
            }
        }
        McpCall call = request.authenticated().sibling(request.method()).forProjectData(prompt.scope());
        Optional<McpReply> denied = access.authorize(request, call);
        if (denied.isPresent()) {
            return denied.get();
        }
        BacklogClient.Forwarded answer = backlog.getPrompt(request.projectId(), call.principal().userId(), name, args);
        if (!answer.ok()) {
            return Forwarding.refusal(request, call, answer, JsonRpc.INVALID_PARAMS, "Prompt " + name, access);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        Object description = answer.body().get("description");
        if (description != null) {
            result.put("description", description);
        }
        result.put("messages", answer.body().getOrDefault("messages", List.of()));
        return access.withRateHeaders(McpReply.ok(JsonRpc.result(request.id(), result)), call);
    }

    private McpReply complete(McpRequest request) {
        Map<String, Object> ref = request.objectParam("ref");
        Map<String, Object> argument = request.objectParam("argument");
        if (ref == null || argument == null || !(argument.get("name") instanceof String)
                || !(argument.get("value") instanceof String)) {
            throw McpError.invalidParams("completion/complete needs ref and argument {name, value}");
        }
        if (request.endpoint().isWorkspace()) {
            // Completion values (statuses, assignees, item ids) belong to one project, which a workspace endpoint's
            // request does not name; its catalog lists no prompts either.
            throw McpError.invalidParams("Argument completion is offered on a project's endpoint (/p/{projectId}/mcp); "
                    + "on a workspace endpoint call list_projects, then the tools with a projectId");
        }
        CatalogIndex index = catalog.of(request.endpoint());
        Optional<String> scope = switch (String.valueOf(ref.get("type"))) {
            case "ref/prompt" -> ref.get("name") instanceof String n ? index.prompt(n).map(Catalog.Prompt::scope) : Optional.empty();
            case "ref/resource" -> ref.get("uri") instanceof String u ? index.scopeOfTemplate(u, request.endpoint()) : Optional.empty();
            default -> Optional.empty();
        };
        if (scope.isEmpty()) {
            throw McpError.invalidParams("Unknown completion reference");
        }
        McpCall call = request.authenticated().sibling(request.method()).forProjectData(scope.get());
        Optional<McpReply> denied = access.authorize(request, call);
        if (denied.isPresent()) {
            return denied.get();
        }
        Map<String, Object> plainArgument = Map.of("name", argument.get("name"), "value", argument.get("value"));
        BacklogClient.Forwarded answer = backlog.complete(request.projectId(), call.principal().userId(), ref, plainArgument);
        if (!answer.ok()) {
            return Forwarding.refusal(request, call, answer, JsonRpc.INVALID_PARAMS, "Completion", access);
        }
        List<Object> values = new ArrayList<>();
        if (answer.body().get("values") instanceof List<?> l) {
            l.stream().limit(MAX_COMPLETIONS).forEach(values::add);
        }
        Map<String, Object> completion = new LinkedHashMap<>();
        completion.put("values", values);
        if (answer.body().get("total") instanceof Number n) {
            completion.put("total", n);
        }
        completion.put("hasMore", Boolean.TRUE.equals(answer.body().get("hasMore")));
        return access.withRateHeaders(McpReply.ok(JsonRpc.result(request.id(), Map.of("completion", completion))), call);
    }

    private static Map<String, Object> describe(Catalog.Prompt p) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", p.name());
        if (p.title() != null) {
            d.put("title", p.title());
        }
        if (p.description() != null) {
            d.put("description", p.description());
        }
        List<Map<String, Object>> args = new ArrayList<>();
        if (p.arguments() != null) {
            for (Catalog.PromptArgument a : p.arguments()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", a.name());
                if (a.description() != null) {
                    m.put("description", a.description());
                }
                m.put("required", a.required());
                args.add(m);
            }
        }
        d.put("arguments", args);
        return d;
    }
}
