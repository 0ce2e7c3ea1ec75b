package com.backlogmcp.mcp.legacy;

import com.backlogmcp.contracts.Headers;
import com.backlogmcp.mcp.endpoint.Endpoint;
import com.backlogmcp.mcp.pipeline.AuthorizationPipeline;
import com.backlogmcp.mcp.protocol.DenialRenderer;
import com.backlogmcp.mcp.pipeline.McpCall;
import com.backlogmcp.mcp.protocol.JsonRpc;
import com.backlogmcp.mcp.protocol.McpDispatcher;
import com.backlogmcp.mcp.protocol.McpReply;
import com.backlogmcp.mcp.protocol.ProtocolVersions;
import com.backlogmcp.mcp.protocol.ReplyEncoder;
import com.backlogmcp.mcp.session.EndedSessions;
import com.backlogmcp.mcp.session.SessionIds;
import com.backlogmcp.mcp.session.Sessions;
import com.backlogmcp.mcp.stream.LiveStream;
import com.backlogmcp.mcp.stream.StreamHub;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.json.JsonMapper;
import reactor.core.publisher.Flux;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The legacy HTTP+SSE transport (protocol 2024-11-05), per endpoint: a project's ({@code /p/{id}/sse}) or a
 * workspace's ({@code /w/{id}/sse}, announcing {@code /w/{id}/messages}). {@code GET /p/{id}/sse} authenticates, opens a
 * session bound to the credential and answers with an SSE stream whose first event, {@code endpoint}, names
 * {@code /p/{id}/messages?sessionId=…}; every JSON-RPC message is then POSTed there (202 Accepted) and its answer
 * arrives on the stream as a {@code message} event. The messages go through the same dispatcher, the same nine-step
 * pipeline and the same audit as Streamable HTTP; the stream also carries the session's resource updates. An
 * unknown, expired, ended or foreign session is 404; closing the stream ends the session.
 */
@Controller
final class LegacySseController {

    private final AuthorizationPipeline pipeline;
    private final DenialRenderer renderer;
    private final McpDispatcher dispatcher;
    private final Sessions sessions;
    private final EndedSessions ended;
    private final SessionIds ids;
    private final StreamHub streams;
    private final LegacyReplies replies;
    private final JsonMapper json;
    private final ReplyEncoder encoder;

    LegacySseController(AuthorizationPipeline pipeline, DenialRenderer renderer, McpDispatcher dispatcher, Sessions sessions,
                        EndedSessions ended, SessionIds ids, StreamHub streams, LegacyReplies replies, JsonMapper json,
                        ReplyEncoder encoder) {
        this.pipeline = pipeline;
        this.renderer = renderer;
        this.dispatcher = dispatcher;
        this.sessions = sessions;
        this.ended = ended;
        this.ids = ids;
        this.streams = streams;
        this.replies = replies;
        this.json = json;
        this.encoder = encoder;
    }

    @Get(uri = "/p/{projectId}/sse", produces = {MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_JSON})
    HttpResponse<?> open(@PathVariable String projectId, HttpRequest<?> http) {
        return open(Endpoint.project(projectId), http);
    }

    @Get(uri = "/w/{workspaceId}/sse", produces = {MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_JSON})
    HttpResponse<?> openOnWorkspace(@PathVariable String workspaceId, HttpRequest<?> http) {
        return open(Endpoint.workspace(workspaceId), http);
    }

    private HttpResponse<?> open(Endpoint endpoint, HttpRequest<?> http) {
        if (!Endpoint.wellFormed(endpoint.id())) {
            return error(404, "No such MCP endpoint");
        }
        McpCall call = new McpCall(endpoint, "(stream)", http.getHeaders().get(HttpHeaders.AUTHORIZATION),
                http.getHeaders().get(Headers.REQUEST_ID));
        Optional<McpReply> refused = pipeline.authenticate(call)
                .or(() -> pipeline.authorize(call.sibling("(stream)").forProjectData(null)))
                .map(d -> renderer.render(d, null, endpoint, call.principal()));
        if (refused.isPresent()) {
            return write(refused.get());
        }
        Optional<String> tooMany = streams.refusal(call.principal().credentialId());
        if (tooMany.isPresent()) {
            return write(new McpReply(429, Map.of("Retry-After", "5"), JsonRpc.error(null, JsonRpc.REFUSED, tooMany.get(),
                    Map.of("error_type", "TOO_MANY_STREAMS", "hint", "Close a stream you no longer read, or retry later."))));
        }
        String sessionId = sessions.open(call.principal(), endpoint.key(), ProtocolVersions.V2024_11_05);
        SessionIds.Session session = ids.verify(sessionId, call.principal().credentialId(), endpoint.key()).orElseThrow();
        LiveStream stream = streams.open(endpoint, call.principal().userId(), call.principal().credentialId(),
                call.authorizationHeader(), session.nonce(), null);
        stream.alsoOnClose(() -> ended.end(session));
        String messages = endpoint.prefix() + "/messages?sessionId=" + URLEncoder.encode(sessionId, StandardCharsets.UTF_8);
        Flux<Event<String>> events = Flux.concat(Flux.just(Event.of(messages).name("endpoint")), stream.frames());
        return HttpResponse.ok(events).contentType(MediaType.TEXT_EVENT_STREAM_TYPE).header(HttpHeaders.CACHE_CONTROL, "no-cache");
    }

    @Post(uri = "/p/{projectId}/messages", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> message(@PathVariable String projectId, @QueryValue @Nullable String sessionId, HttpRequest<?> http,
                            @Body @Nullable byte[] body) {
        return message(Endpoint.project(projectId), sessionId, http, body);
    }

    @Post(uri = "/w/{workspaceId}/messages", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> messageOnWorkspace(@PathVariable String workspaceId, @QueryValue @Nullable String sessionId,
                                       HttpRequest<?> http, @Body @Nullable byte[] body) {
        return message(Endpoint.workspace(workspaceId), sessionId, http, body);
    }

    private HttpResponse<?> message(Endpoint endpoint, @Nullable String sessionId, HttpRequest<?> http, @Nullable byte[] body) {
        if (!Endpoint.wellFormed(endpoint.id())) {
            return error(404, "No such MCP endpoint");
        }
        MediaType type = http.getContentType().orElse(null);
        if (type == null || !"application/json".equalsIgnoreCase(type.getName())) {
            return error(415, "Content-Type must be application/json");
        }
        McpCall call = new McpCall(endpoint, "(transport)", http.getHeaders().get(HttpHeaders.AUTHORIZATION),
                http.getHeaders().get(Headers.REQUEST_ID));
        var denial = pipeline.authenticate(call);
        if (denial.isPresent()) {
            return write(renderer.render(denial.get(), null, endpoint, null));
        }
        if (sessionId == null || sessionId.isBlank()) {
            return error(400, "sessionId is required: use the endpoint the SSE stream announced");
        }
        SessionIds.Session session = sessions.find(sessionId, call.principal(), endpoint.key()).orElse(null);
        if (session == null) {
            return error(404, "Session not found: it expired, was closed, or belongs to another credential; open /sse again");
        }
        Object parsed;
        try {
            if (body == null || body.length == 0) {
                throw new IOException("empty body");
            }
            parsed = json.readValue(body, Object.class);
        } catch (IOException | RuntimeException e) {
            return write(McpReply.of(400, JsonRpc.error(null, JsonRpc.PARSE_ERROR, "Parse error: the body is not valid JSON", null)));
        }
        if (parsed instanceof List<?>) {
            return error(400, "JSON-RPC batches are not part of protocol " + ProtocolVersions.V2024_11_05);
        }
        McpDispatcher.Transport transport = new McpDispatcher.Transport(call, ProtocolVersions.V2024_11_05, null, null,
                null, false, session);
        Optional<McpReply> reply = dispatcher.dispatch(parsed, transport, false);
        if (reply.isPresent()) {
            try {
                replies.deliver(session.nonce(), encoder.encodeToString(reply.get().body()));
            } catch (IOException e) {
                throw new IllegalStateException("cannot write an answer", e);
            }
        }
        return HttpResponse.status(HttpStatus.ACCEPTED);
    }

    private MutableHttpResponse<?> error(int status, String message) {
        return write(McpReply.of(status, JsonRpc.error(null, JsonRpc.INVALID_REQUEST, message, null)));
    }

    private MutableHttpResponse<?> write(McpReply reply) {
        MutableHttpResponse<Object> response = HttpResponse.status(HttpStatus.valueOf(reply.status()));
        reply.headers().forEach(response::header);
        try {
            return response.contentType(MediaType.APPLICATION_JSON_TYPE).body(encoder.encode(reply.body()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write reply", e);
        }
    }
}
