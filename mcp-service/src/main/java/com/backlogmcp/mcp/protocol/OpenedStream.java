package com.backlogmcp.mcp.protocol;

import com.backlogmcp.mcp.stream.LiveStream;

import java.util.Map;

/**
 * The body of a reply that is not one JSON-RPC message but a stream: the controller answers it as
 * {@code text/event-stream}, {@code first} then whatever the stream carries until it closes.
 */
record OpenedStream(LiveStream stream, Map<String, Object> first) {
}
