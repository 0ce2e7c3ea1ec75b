package com.backlogmcp.contracts.internal;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/**
 * Answer of backlog-service {@code GET /internal/catalog}: everything the edge lists, derived from one catalog.
 * Schemas are JSON Schema 2020-12 documents; {@code projectId} is never part of an input schema (it comes
 * from the URL).
 */
@Serdeable
public record Catalog(
        String version,
        List<Tool> tools,
        List<Resource> resources,
        List<ResourceTemplate> resourceTemplates,
        List<Prompt> prompts) {

    /** One tool. {@code scope} is a {@code Scope} value, {@code minRole} a {@code Role} wire name. */
    @Serdeable
    public record Tool(
            String name,
            String title,
            String description,
            String toolset,
            String scope,
            String minRole,
            boolean write,
            Map<String, Object> inputSchema,
            Map<String, Object> outputSchema,
            Annotations annotations) {
    }

    @Serdeable
    public record Annotations(boolean readOnlyHint, boolean destructiveHint, boolean idempotentHint,
                              boolean openWorldHint) {
    }

    /** A concrete resource; {@code {projectId}} in the uri is filled in by the edge. */
    @Serdeable
    public record Resource(String uri, String name, String title, String description, String mimeType,
                           String scope) {
    }

    @Serdeable
    public record ResourceTemplate(String uriTemplate, String name, String title, String description,
                                   String mimeType, String scope) {
    }

    @Serdeable
    public record Prompt(String name, String title, String description, List<PromptArgument> arguments,
                         String scope) {
    }

    @Serdeable
    public record PromptArgument(String name, @Nullable String description, boolean required) {
    }
}
