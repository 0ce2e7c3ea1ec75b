package com.backlogmcp.mcp.endpoint;

import java.util.regex.Pattern;

/**
 * One MCP endpoint of the edge: a project's ({@code /p/{projectId}/mcp}) or a workspace's ({@code /w/{workspaceId}/mcp}).
 * A token's audience, the RFC 9728 metadata, sessions and streams are all bound to exactly one endpoint; on a
 * workspace endpoint each call still touches one project at a time (or none, for calls across the workspace).
 */
public record Endpoint(Kind kind, String id) {

    /** The path segment that names the kind of endpoint. */
    public enum Kind {
        PROJECT("p"), WORKSPACE("w");

        private final String segment;

        Kind(String segment) {
            this.segment = segment;
        }
    }

    /** What a project or workspace id in a URL may look like (anything else is no endpoint at all). */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public static Endpoint project(String projectId) {
        return new Endpoint(Kind.PROJECT, projectId);
    }

    public static Endpoint workspace(String workspaceId) {
        return new Endpoint(Kind.WORKSPACE, workspaceId);
    }

    /** Whether {@code id} can name an endpoint at all; a URL with any other id is answered 404 before anything runs. */
    public static boolean wellFormed(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public boolean isWorkspace() {
        return kind == Kind.WORKSPACE;
    }

    /** The endpoint's own prefix, {@code /p/{id}} or {@code /w/{id}}: the MCP path and the legacy SSE pair hang off it. */
    public String prefix() {
        return "/" + kind.segment + "/" + id;
    }

    /** {@code /p/{id}/mcp} or {@code /w/{id}/mcp}. */
    public String path() {
        return prefix() + "/mcp";
    }

    /**
     * What sessions and streams are bound to: the project id for a project endpoint (as before workspace endpoints
     * existed, so live sessions stay valid), {@code w/{id}} for a workspace endpoint, which no project id can equal.
     */
    public String key() {
        return isWorkspace() ? "w/" + id : id;
    }

    /** A human name for messages and the metadata's {@code resource_name}. */
    public String describe() {
        return (isWorkspace() ? "workspace " : "project ") + id;
    }
}
