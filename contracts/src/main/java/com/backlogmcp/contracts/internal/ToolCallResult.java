package com.backlogmcp.contracts.internal;

import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;

/**
 * Answer of a tool execution (always HTTP 200 once the tool ran or refused): {@code isError} with
 * {@code structuredContent = {error_type, message, hint}} for a tool failure, else the tool's structured output.
 */
@Serdeable
public record ToolCallResult(boolean isError, Map<String, Object> structuredContent) {
}
