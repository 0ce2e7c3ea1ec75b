package com.backlogmcp.mcp.neighbour;

/** Service ids of the neighbours under {@code micronaut.http.services} (URL and timeouts configured there). */
public final class NeighbourIds {
    public static final String BACKLOG = "backlog";
    public static final String AUDIT = "audit";
    public static final String AUTH = "auth";

    private NeighbourIds() {
    }
}
