package com.backlogmcp.mcp.protocol;

import com.backlogmcp.mcp.catalog.CatalogCache;
import com.backlogmcp.mcp.pipeline.McpCall;
import com.backlogmcp.mcp.stream.LiveStream;
import com.backlogmcp.mcp.stream.StreamHub;
import com.backlogmcp.mcp.stream.SubscriptionBook;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Live updates. 2025 eras: {@code resources/subscribe} / {@code resources/unsubscribe} record a URI against the
 * request's session (the session's GET stream then carries {@code notifications/resources/updated}); a session is
 * required, as the subscription lives as long as it. 2026-07-28: {@code subscriptions/listen} answers with a stream
 * that starts with {@code notifications/subscriptions/acknowledged} and carries what its filter asked for, each
 * notification tagged with the subscription id (the listen request's id).
 */
@Singleton
final class SubscriptionMethods implements McpMethodHandler {

    private static final int MAX_URIS = 100;

    private final CatalogCache catalog;
    private final ProjectCallAuthorizer access;
    private final SubscriptionBook book;
    private final StreamHub hub;

    SubscriptionMethods(CatalogCache catalog, ProjectCallAuthorizer access, SubscriptionBook book, StreamHub hub) {
        this.catalog = catalog;
        this.access = access;
        this.book = book;
        this.hub = hub;
    }

    @Override
    public Set<String> methods() {
        return Set.of("resources/subscribe", "resources/unsubscribe", "subscriptions/listen");
    }

    @Override
    public McpReply handle(McpRequest request) {
        return access.unlessUpstreamUnavailable(request,
                () -> "subscriptions/listen".equals(request.method()) ? listen(request) : subscribe(request));
    }

    private McpReply subscribe(McpRequest request) {
        if (request.stateless()) {
            throw McpError.methodNotFoundStateless(request.method());
        }
        String uri = request.stringParam("uri");
        if (request.session() == null) {
            throw McpError.invalidParams(request.method() + " needs a session: send the Mcp-Session-Id that initialize returned");
        }
        Optional<String> scope = catalog.scopeOfResource(request.endpoint(), uri);
        if (scope.isEmpty()) {
            return McpReply.ok(JsonRpc.error(request.id(), JsonRpc.RESOURCE_NOT_FOUND, "Resource not found", Map.of("uri", uri)));
        }
        McpCall call = request.authenticated().sibling(request.method()).forProjectData(scope.get());
        Optional<McpReply> denied = access.authorize(request, call);
        if (denied.isPresent()) {
            return denied.get();
        }
        if ("resources/subscribe".equals(request.method())) {
            book.subscribe(request.session(), uri);
        } else {
            book.unsubscribe(request.session(), uri);
        }
        return McpReply.ok(JsonRpc.result(request.id(), new LinkedHashMap<>()));
    }

    private McpReply listen(McpRequest request) {
        if (!request.stateless()) {
            throw McpError.methodNotFound(request.method());
        }
        Map<String, Object> wanted = request.objectParam("notifications");
        if (wanted == null) {
            throw McpError.invalidParams("params.notifications is required");
        }
        Set<String> uris = new LinkedHashSet<>();
        if (wanted.get("resourceSubscriptions") instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof String s)) {
                    throw McpError.invalidParams("params.notifications.resourceSubscriptions must hold URIs");
                }
                uris.add(s);
            }
        } else if (wanted.containsKey("resourceSubscriptions")) {
            throw McpError.invalidParams("params.notifications.resourceSubscriptions must be an array");
        }
        if (uris.size() > MAX_URIS) {
            throw McpError.invalidParams("at most " + MAX_URIS + " resourceSubscriptions per stream");
        }
        McpCall call = request.authenticated().sibling(request.method()).forProjectData(null);
        Optional<McpReply> denied = access.authorize(request, call);
        if (denied.isPresent()) {
            return denied.get();
        }
        String credentialId = call.principal().credentialId();
        Optional<String> refusal = hub.refusal(credentialId);
        if (refusal.isPresent()) {
            return McpReply.of(429, JsonRpc.error(request.id(), JsonRpc.REFUSED, refusal.get(),
                    Map.of("error_type", "TOO_MANY_STREAMS", "hint", "Close a stream you no longer read, or retry later.")))
                    .withHeaders(Map.of("Retry-After", "5"));
        }
        LiveStream.Filter filter = new LiveStream.Filter(Boolean.TRUE.equals(wanted.get("toolsListChanged")),
                Boolean.TRUE.equals(wanted.get("promptsListChanged")), Boolean.TRUE.equals(wanted.get("resourcesListChanged")),
                Set.copyOf(uris), request.id());
        LiveStream stream = hub.open(request.endpoint(), call.principal().userId(), credentialId,
                request.authenticated().authorizationHeader(), null, filter);
        Map<String, Object> acknowledged = new LinkedHashMap<>();
        acknowledged.put("notifications", wanted);
        acknowledged.put("_meta", Map.of("io.modelcontextprotocol/subscriptionId", request.id()));
        Map<String, Object> first = new LinkedHashMap<>();
        first.put("jsonrpc", "2.0");
        first.put("method", "notifications/subscriptions/acknowledged");
        first.put("params", acknowledged);
        return new McpReply(200, Map.of(), new OpenedStream(stream, first));
    }
}
