package com.backlogmcp.mcp.protocol;

import com.backlogmcp.contracts.Headers;
import com.backlogmcp.mcp.endpoint.Endpoint;
import com.backlogmcp.mcp.pipeline.AuthorizationPipeline;
import com.backlogmcp.mcp.pipeline.McpCall;
import com.backlogmcp.mcp.session.SessionIds;
import com.backlogmcp.mcp.stream.LiveStream;
import com.backlogmcp.mcp.stream.StreamHub;
import io.micronaut.http.sse.Event;
import reactor.core.publisher.Flux;
import com.backlogmcp.mcp.session.Sessions;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Streamable HTTP at {@code POST /p/{projectId}/mcp} and {@code POST /w/{workspaceId}/mcp} (a workspace's endpoint:
 * the same transport, eras, sessions and pipeline; each call touches the project its {@code projectId} argument
 * names, or runs across the workspace). Thin: checks the HTTP envelope (media types), runs
 * authentication (steps 1–3) once for the request, parses JSON-RPC (a message, or a batch where the revision
 * allows it), lets {@link McpDispatcher} answer each message and writes the reply as JSON or, when the client
 * prefers it, as a one-event SSE stream. In the 2025 eras a successful {@code initialize} opens a session
 * ({@link Sessions}); a request presenting {@code Mcp-Session-Id} must present a live one of its own credential,
 * and DELETE ends it.
 */
@Controller
final class McpController {

    static final String PROTOCOL_VERSION = "MCP-Protocol-Version";
    static final String METHOD = "Mcp-Method";
    static final String NAME = "Mcp-Name";
    static final String READ_ONLY = "X-MCP-Readonly";
    static final String SESSION_ID = "Mcp-Session-Id";

    private final AuthorizationPipeline pipeline;
    private final DenialRenderer renderer;
    private final McpDispatcher dispatcher;
    private final JsonMapper json;
    private final Sessions sessions;

    private final StreamHub streams;
    private final ReplyEncoder encoder;

    McpController(AuthorizationPipeline pipeline, DenialRenderer renderer, McpDispatcher dispatcher, JsonMapper json, Sessions sessions,
                  StreamHub streams, ReplyEncoder encoder) {
        this.streams = streams;
        this.encoder = encoder;
        this.pipeline = pipeline;
        this.renderer = renderer;
        this.dispatcher = dispatcher;
        this.json = json;
        this.sessions = sessions;
    }

    @Post(uri = "/p/{projectId}/mcp", consumes = MediaType.ALL, produces = {MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM})
    HttpResponse<?> post(@PathVariable String projectId, HttpRequest<?> http, @Body @Nullable byte[] body) {
        return post(Endpoint.project(projectId), http, body);
    }

    @Post(uri = "/w/{workspaceId}/mcp", consumes = MediaType.ALL, produces = {MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM})
    HttpResponse<?> postToWorkspace(@PathVariable String workspaceId, HttpRequest<?> http, @Body @Nullable byte[] body) {
        return post(Endpoint.workspace(workspaceId), http, body);
    }

    private HttpResponse<?> post(Endpoint endpoint, HttpRequest<?> http, @Nullable byte[] body) {
        if (!Endpoint.wellFormed(endpoint.id())) {
            return write(http, McpReply.of(404, JsonRpc.error(null, JsonRpc.INVALID_REQUEST, "No such MCP endpoint", null)), null);
        }
        if (!isJson(http.getContentType().orElse(null))) {
            return write(http, McpReply.of(415, JsonRpc.error(null, JsonRpc.INVALID_REQUEST, "Content-Type must be application/json", null)), null);
        }
        if (!acceptable(http.getHeaders().get(HttpHeaders.ACCEPT))) {
            return write(http, McpReply.of(406, JsonRpc.error(null, JsonRpc.INVALID_REQUEST,
                    "Accept must allow application/json or text/event-stream", null)), null);
        }
        McpCall transportCall = new McpCall(endpoint, "(transport)", http.getHeaders().get(HttpHeaders.AUTHORIZATION),
                http.getHeaders().get(Headers.REQUEST_ID));
        var denial = pipeline.authenticate(transportCall);
        if (denial.isPresent()) {
            return write(http, renderer.render(denial.get(), null, endpoint, null), null);
        }
        Object parsed;
        try {
            if (body == null || body.length == 0) {
                throw new IOException("empty body");
            }
            parsed = json.readValue(body, Object.class);
        } catch (IOException | RuntimeException e) {
            return write(http, McpReply.of(400, JsonRpc.error(null, JsonRpc.PARSE_ERROR, "Parse error: the body is not valid JSON", null)), null);
        }
        String protocolHeader = http.getHeaders().get(PROTOCOL_VERSION);
        String sessionId = http.getHeaders().get(SESSION_ID);
        boolean statelessWire = protocolHeader != null && ProtocolVersions.isStateless(protocolHeader);
        SessionIds.Session session = null;
        if (sessionId != null && !statelessWire) {
            session = sessions.find(sessionId, transportCall.principal(), endpoint.key()).orElse(null);
            if (session == null) {
                return write(http, sessionNotFound(), null);
            }
        }
        McpDispatcher.Transport transport = new McpDispatcher.Transport(transportCall, protocolHeader,
                http.getHeaders().get(METHOD), decodeName(http.getHeaders().get(NAME)), toolsets(http), readOnly(http), session);
        if (parsed instanceof List<?> batch) {
            return write(http, batch(batch, protocolHeader, transport), null);
        }
        Optional<McpReply> reply = dispatcher.dispatch(parsed, transport, false).map(r -> withNewSession(parsed, r, transportCall));
        if (reply.isPresent() && reply.get().body() instanceof OpenedStream opened) {
            return eventStream(opened, protocolHeader);
        }
        return reply.map(r -> write(http, r, protocolHeader)).orElseGet(HttpResponse::accepted);
    }

    /**
     * The 2025-era GET stream of a session: {@code notifications/resources/updated} for the URIs the session
     * subscribed to and {@code notifications/tools/list_changed}, authorized again before each delivery. Needs the
     * session ({@code Mcp-Session-Id}); a {@code Last-Event-ID} is accepted, but nothing missed while disconnected is
     * replayed — a reconnecting client re-reads what it follows (docs/protocol.md).
     */
    @Get(uri = "/p/{projectId}/mcp", produces = {MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_JSON})
    HttpResponse<?> get(@PathVariable String projectId, HttpRequest<?> http) {
        return get(Endpoint.project(projectId), http);
    }

    /** The same stream on a workspace endpoint: it hears of every project of the workspace the user may read. */
    @Get(uri = "/w/{workspaceId}/mcp", produces = {MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_JSON})
    HttpResponse<?> getOnWorkspace(@PathVariable String workspaceId, HttpRequest<?> http) {
        return get(Endpoint.workspace(workspaceId), http);
    }

    private HttpResponse<?> get(Endpoint endpoint, HttpRequest<?> http) {
        if (!Endpoint.wellFormed(endpoint.id())) {
            return write(http, McpReply.of(404, JsonRpc.error(null, JsonRpc.INVALID_REQUEST, "No such MCP endpoint", null)), null);
        }
        String accept = http.getHeaders().get(HttpHeaders.ACCEPT);
        if (accept == null || quality(accept, "text/event-stream") <= 0) {
            return write(http, McpReply.of(406, JsonRpc.error(null, JsonRpc.INVALID_REQUEST, "GET opens an event stream: Accept must allow text/event-stream", null)), null);
        }
        McpCall call = new McpCall(endpoint, "(stream)", http.getHeaders().get(HttpHeaders.AUTHORIZATION), http.getHeaders().get(Headers.REQUEST_ID));
        var denial = pipeline.authenticate(call);
        if (denial.isPresent()) {
            return write(http, renderer.render(denial.get(), null, endpoint, null), null);
        }
        String sessionId = http.getHeaders().get(SESSION_ID);
        if (sessionId == null) {
            return notAllowed();
        }
        SessionIds.Session session = sessions.find(sessionId, call.principal(), endpoint.key()).orElse(null);
        if (session == null) {
            return write(http, sessionNotFound(), null);
        }
        McpCall project = call.sibling("(stream)").forProjectData(null);
        var refused = pipeline.authorize(project);
        if (refused.isPresent()) {
            return write(http, renderer.render(refused.get(), null, endpoint, call.principal()), null);
        }
        var tooMany = streams.refusal(call.principal().credentialId());
        if (tooMany.isPresent()) {
            return write(http, new McpReply(429, Map.of("Retry-After", "5"), JsonRpc.error(null, JsonRpc.REFUSED, tooMany.get(),
                    Map.of("error_type", "TOO_MANY_STREAMS", "hint", "Close a stream you no longer read, or retry later."))), null);
        }
        LiveStream stream = streams.open(endpoint, call.principal().userId(), call.principal().credentialId(),
                call.authorizationHeader(), session.nonce(), null);
        return HttpResponse.ok(stream.frames()).contentType(MediaType.TEXT_EVENT_STREAM_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache").header(SESSION_ID, sessionId);
    }

    private MutableHttpResponse<?> eventStream(OpenedStream opened, @Nullable String protocolHeader) {
        Flux<Event<String>> events;
        try {
            events = Flux.concat(Flux.just(Event.of(json.writeValueAsString(opened.first())).name("message")), opened.stream().frames());
        } catch (IOException e) {
            opened.stream().close(null);
            throw new IllegalStateException("cannot write the stream's first message", e);
        }
        MutableHttpResponse<?> response = HttpResponse.ok(events).contentType(MediaType.TEXT_EVENT_STREAM_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache");
        if (protocolHeader != null && ProtocolVersions.ALL.contains(protocolHeader)) {
            response.header(PROTOCOL_VERSION, protocolHeader);
        }
        return response;
    }

    /** A successful initialize opens a session bound to the credential that sent it. */
    private McpReply withNewSession(Object message, McpReply reply, McpCall authenticated) {
        if (message instanceof Map<?, ?> m && "initialize".equals(m.get("method")) && reply.status() == 200
                && reply.body() instanceof Map<?, ?> body && body.get("result") instanceof Map<?, ?> result
                && result.get("protocolVersion") instanceof String version) {
            return reply.withHeaders(Map.of(SESSION_ID, sessions.open(authenticated.principal(), authenticated.endpoint().key(), version)));
        }
        return reply;
    }

    private static McpReply sessionNotFound() {
        return McpReply.of(404, JsonRpc.error(null, JsonRpc.INVALID_REQUEST,
                "Session not found: it expired, was ended, or belongs to another credential; initialize again", null));
    }

    /** Ends the session named by {@code Mcp-Session-Id}: 204, or 404 when this credential has no such live session. */
    @Delete(uri = "/p/{projectId}/mcp", produces = {MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM})
    HttpResponse<?> delete(@PathVariable String projectId, HttpRequest<?> http) {
        return delete(Endpoint.project(projectId), http);
    }

    @Delete(uri = "/w/{workspaceId}/mcp", produces = {MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM})
    HttpResponse<?> deleteOnWorkspace(@PathVariable String workspaceId, HttpRequest<?> http) {
        return delete(Endpoint.workspace(workspaceId), http);
    }

    private HttpResponse<?> delete(Endpoint endpoint, HttpRequest<?> http) {
        if (!Endpoint.wellFormed(endpoint.id())) {
            return write(http, McpReply.of(404, JsonRpc.error(null, JsonRpc.INVALID_REQUEST, "No such MCP endpoint", null)), null);
        }
        McpCall call = new McpCall(endpoint, "(session end)", http.getHeaders().get(HttpHeaders.AUTHORIZATION),
                http.getHeaders().get(Headers.REQUEST_ID));
        var denial = pipeline.authenticate(call);
        if (denial.isPresent()) {
            return write(http, renderer.render(denial.get(), null, endpoint, null), null);
        }
        String sessionId = http.getHeaders().get(SESSION_ID);
        if (sessionId == null) {
            return write(http, McpReply.of(400, JsonRpc.error(null, JsonRpc.INVALID_REQUEST, "Mcp-Session-Id header is required", null)), null);
        }
        return sessions.end(sessionId, call.principal(), endpoint.key()) ? HttpResponse.noContent() : write(http, sessionNotFound(), null);
    }

    private static HttpResponse<?> notAllowed() {
        return HttpResponse.status(HttpStatus.METHOD_NOT_ALLOWED).header(HttpHeaders.ALLOW, "POST, OPTIONS")
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body("{\"error\":\"method_not_allowed\",\"message\":\"A GET stream belongs to a session: initialize, then GET with its Mcp-Session-Id.\"}"
                        .getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The most messages one 2025-03-26 batch may hold. Each message runs the whole pipeline (and a tool call its quota
     * and audit) while the HTTP request is held open, so an unbounded batch would let one request occupy a worker for
     * as long as it likes; 20 covers what clients batch in practice (a few list calls and reads).
     */
    static final int MAX_BATCH = 20;

    /**
     * JSON-RPC batches: only in 2025-03-26 (absent header means 2025-03-26); each message answered on its own. A batch
     * over {@link #MAX_BATCH} is refused whole (one -32600 error, HTTP 400) before any of its messages runs.
     */
    private McpReply batch(List<?> batch, @Nullable String protocolHeader, McpDispatcher.Transport transport) {
        String version = protocolHeader == null ? ProtocolVersions.DEFAULT_WITHOUT_HEADER : protocolHeader;
        if (!ProtocolVersions.allowsBatches(version)) {
            return McpDispatcher.invalidRequest(null, "JSON-RPC batches are not part of protocol " + version);
        }
        if (batch.isEmpty()) {
            return McpDispatcher.invalidRequest(null, "an empty batch");
        }
        if (batch.size() > MAX_BATCH) {
            return McpReply.of(400, JsonRpc.error(null, JsonRpc.INVALID_REQUEST, "Invalid Request: a batch holds at most "
                    + MAX_BATCH + " messages; this one holds " + batch.size() + " and none of them was run",
                    Map.of("max_batch", MAX_BATCH, "received", batch.size())));
        }
        List<Object> replies = new ArrayList<>();
        Map<String, String> headers = new LinkedHashMap<>();
        for (Object message : batch) {
            dispatcher.dispatch(message, transport, true).ifPresent(r -> {
                replies.add(r.body());
                headers.putAll(r.headers());
            });
        }
        headers.remove(HttpHeaders.WWW_AUTHENTICATE);
        return replies.isEmpty() ? McpReply.accepted() : new McpReply(200, headers, replies);
    }

    private MutableHttpResponse<?> write(HttpRequest<?> http, McpReply reply, @Nullable String protocolHeader) {
        MutableHttpResponse<Object> response = HttpResponse.status(HttpStatus.valueOf(reply.status()));
        reply.headers().forEach(response::header);
        if (protocolHeader != null && ProtocolVersions.ALL.contains(protocolHeader)) {
            response.header(PROTOCOL_VERSION, protocolHeader);
        }
        if (reply.body() == null) {
            return response;
        }
        byte[] bytes;
        try {
            bytes = encoder.encode(reply.body());
        } catch (IOException e) {
            throw new IllegalStateException("cannot write reply", e);
        }
        if (reply.status() == 200 && prefersEventStream(http.getHeaders().get(HttpHeaders.ACCEPT))) {
            String event = "event: message\ndata: " + new String(bytes, StandardCharsets.UTF_8) + "\n\n";
            return response.contentType(MediaType.TEXT_EVENT_STREAM_TYPE).header(HttpHeaders.CACHE_CONTROL, "no-cache")
                    .body(event.getBytes(StandardCharsets.UTF_8));
        }
        return response.contentType(MediaType.APPLICATION_JSON_TYPE).body(bytes);
    }

    private static boolean isJson(@Nullable MediaType type) {
        return type != null && ("application/json".equalsIgnoreCase(type.getName()) || type.getName().toLowerCase().endsWith("+json"));
    }

    private static boolean acceptable(@Nullable String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        return quality(accept, "application/json") > 0 || quality(accept, "text/event-stream") > 0;
    }

    /** SSE only when the client ranks text/event-stream above application/json (or does not take JSON at all). */
    static boolean prefersEventStream(@Nullable String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        return quality(accept, "text/event-stream") > quality(accept, "application/json");
    }

    /** The q-value {@code accept} gives {@code type} (exact match, else type/*, else *\/*). */
    static double quality(String accept, String type) {
        double exact = -1;
        double wildcardSubtype = -1;
        double any = -1;
        String major = type.substring(0, type.indexOf('/'));
        for (String part : accept.split(",")) {
            String[] pieces = part.trim().split(";");
            String range = pieces[0].trim().toLowerCase();
            double q = 1.0;
            for (int i = 1; i < pieces.length; i++) {
                String p = pieces[i].trim();
                if (p.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            if (range.equals(type)) {
                exact = Math.max(exact, q);
            } else if (range.equals(major + "/*")) {
                wildcardSubtype = Math.max(wildcardSubtype, q);
            } else if (range.equals("*/*")) {
                any = Math.max(any, q);
            }
        }
        return exact >= 0 ? exact : wildcardSubtype >= 0 ? wildcardSubtype : Math.max(any, 0);
    }

    @Nullable
    private static Set<String> toolsets(HttpRequest<?> http) {
        List<String> values = http.getParameters().getAll("toolsets");
        if (values.isEmpty()) {
            return null;
        }
        Set<String> sets = new LinkedHashSet<>();
        values.forEach(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(sets::add));
        return sets.isEmpty() ? null : sets;
    }

    private static boolean readOnly(HttpRequest<?> http) {
        String param = http.getParameters().get("read_only");
        String header = http.getHeaders().get(READ_ONLY);
        return truthy(param) || truthy(header);
    }

    private static boolean truthy(@Nullable String v) {
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes"));
    }

    /** 2026-07-28 lets non-ASCII names travel base64-encoded as {@code =?base64?…?=}. */
    @Nullable
    private static String decodeName(@Nullable String header) {
        if (header != null && header.startsWith("=?base64?") && header.endsWith("?=")) {
            try {
                return new String(java.util.Base64.getDecoder().decode(header.substring(9, header.length() - 2)), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return "\u0000invalid";
            }
        }
        return header;
    }
}
