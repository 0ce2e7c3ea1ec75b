package com.backlogmcp.mcp.stream;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * Bounds of the server-to-client streams (GET streams of 2025-era sessions, 2026-07-28 {@code subscriptions/listen}),
 * each from an environment variable (defaults in application.yml, documented in docs/protocol.md).
 *
 * @param perCredential MCP_STREAMS_PER_CREDENTIAL: open streams one grant or API key may hold on one replica
 * @param perReplica    MCP_STREAMS_PER_REPLICA: open streams one replica holds in all
 * @param heartbeat     MCP_STREAM_HEARTBEAT: a comment line after this long without output, so proxies keep the
 *                      connection and a dead client is noticed on the next write
 * @param idleTimeout   MCP_STREAM_IDLE_TIMEOUT: a stream that delivered nothing for this long ends (reconnectable)
 * @param buffer        MCP_STREAM_BUFFER: notifications that may wait for a slow reader; one more closes its stream
 */
@ConfigurationProperties("backlogmcp.streams")
public record StreamSettings(int perCredential, int perReplica, Duration heartbeat, Duration idleTimeout, int buffer) {
}
