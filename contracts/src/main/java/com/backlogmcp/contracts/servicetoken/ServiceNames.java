package com.backlogmcp.contracts.servicetoken;

/** The names services use as {@code iss}/{@code aud} of service credentials. */
public final class ServiceNames {
    public static final String MCP = "mcp-service";
    public static final String AUTH = "auth-service";
    public static final String BACKLOG = "backlog-service";
    public static final String AUDIT = "audit-service";

    private ServiceNames() {
    }
}
