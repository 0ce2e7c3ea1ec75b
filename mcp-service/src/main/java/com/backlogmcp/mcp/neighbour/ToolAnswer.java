package com.backlogmcp.mcp.neighbour;

import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.internal.WorkspaceAccess;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;

/**
 * backlog-service's answer to a tool call ({@code contracts.internal.ToolCallResult} on the wire), read so that the
 * tool's output can travel on to the agent as the very bytes backlog-service wrote. The edge needs only the small
 * fields ({@code isError}, {@code admitted}, {@code authz}, {@code workspace}); the output itself is kept as raw JSON and decoded only
 * when something must look inside it (a refusal or a tool error names its {@code error_type}). Decoding it into maps
 * and encoding it twice again (the structured copy and its text copy) was a tenth of the edge's CPU per call.
 */
public final class ToolAnswer {

    private static final Argument<Map<String, Object>> JSON_OBJECT = Argument.mapOf(String.class, Object.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] EMPTY_OBJECT = {'{', '}'};

    private final boolean isError;
    @Nullable
    private final Boolean admitted;
    @Nullable
    private final AuthzContext authz;
    @Nullable
    private final WorkspaceAccess workspace;
    private final byte[] structuredJson;
    private final JsonMapper json;
    @Nullable
    private Map<String, Object> structured;

    private ToolAnswer(boolean isError, @Nullable Boolean admitted, @Nullable AuthzContext authz,
                       @Nullable WorkspaceAccess workspace, byte[] structuredJson, JsonMapper json) {
        this.isError = isError;
        this.admitted = admitted;
        this.authz = authz;
        this.workspace = workspace;
        this.structuredJson = structuredJson;
        this.json = json;
    }

    /**
     * Reads one answer. Hand-written on Jackson's streaming parser (not a data binding) because data binding has no
     * way to keep one member as the bytes it came in; the members are the contract's, in any order.
     *
     * @throws IllegalArgumentException when {@code body} is not a JSON object, or {@code structuredContent},
     *                                  {@code authz} or {@code workspace} is neither an object nor null
     */
    public static ToolAnswer read(byte[] body, JsonMapper json) {
        boolean isError = false;
        Boolean admitted = null;
        AuthzContext authz = null;
        WorkspaceAccess workspace = null;
        byte[] structured = null;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a tool answer is a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "isError" -> isError = value == JsonToken.VALUE_TRUE;
                    case "admitted" -> admitted = value == JsonToken.VALUE_NULL ? null : value == JsonToken.VALUE_TRUE;
                    case "authz" -> {
                        byte[] raw = member(p, body);
                        authz = raw == null ? null : json.readValue(raw, AuthzContext.class);
                    }
                    case "workspace" -> {
                        byte[] raw = member(p, body);
                        workspace = raw == null ? null : json.readValue(raw, WorkspaceAccess.class);
                    }
                    case "structuredContent" -> structured = member(p, body);
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("a tool answer that is not valid JSON", e);
        }
        // No output (absent or null) reads as an empty one, as it always has.
        return new ToolAnswer(isError, admitted, authz, workspace, structured == null ? EMPTY_OBJECT.clone() : structured, json);
    }

    /** The current member's bytes exactly as written (an object), or null for JSON null; anything else is refused. */
    @Nullable
    private static byte[] member(JsonParser p, byte[] body) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("expected a JSON object for " + p.currentName());
        }
        int start = (int) p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        int end = (int) p.currentLocation().getByteOffset();
        return Arrays.copyOfRange(body, start, end);
    }

    public boolean isError() {
        return isError;
    }

    /** Whether backlog-service's live checks let the tool run; null from a backlog-service that predates saying so. */
    @Nullable
    public Boolean admitted() {
        return admitted;
    }

    /** The live authorization context the call was decided on (null when the project does not exist). */
    @Nullable
    public AuthzContext authz() {
        return authz;
    }

    /** The live workspace context a call across a workspace was decided on (null when the workspace does not exist). */
    @Nullable
    public WorkspaceAccess workspace() {
        return workspace;
    }

    /** The tool's output as backlog-service encoded it: a JSON object, UTF-8. */
    public byte[] structuredJson() {
        return structuredJson;
    }

    /** The tool's output decoded (on first use): for the few places that read a member, such as a refusal's type. */
    public synchronized Map<String, Object> structuredContent() {
        if (structured == null) {
            try {
                structured = json.readValue(structuredJson, JSON_OBJECT);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return structured;
    }
}
