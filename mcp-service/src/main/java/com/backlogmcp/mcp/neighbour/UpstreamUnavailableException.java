package com.backlogmcp.mcp.neighbour;

/** A neighbour did not answer in time, refused the connection or failed (5xx): the call cannot be decided. */
public final class UpstreamUnavailableException extends RuntimeException {
    public UpstreamUnavailableException(String neighbour, Throwable cause) {
        super(neighbour + " unavailable", cause);
    }

    public UpstreamUnavailableException(String message) {
        super(message);
    }
}
