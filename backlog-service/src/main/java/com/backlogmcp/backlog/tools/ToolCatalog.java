package com.backlogmcp.backlog.tools;

import com.backlogmcp.backlog.catalog.PromptCatalog;
import com.backlogmcp.backlog.catalog.ResourceCatalog;
import com.backlogmcp.backlog.catalog.ToolDefinition;
import com.backlogmcp.backlog.support.Json;
import com.backlogmcp.contracts.internal.Catalog;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The one registry of tools, resources and prompts. The edge derives tools/list, toolset and read-only views,
 * scope and role checks and the consent scopes from what this serves; the executor runs what it holds.
 * Tools are ordered by toolset (the order of {@link #TOOLSETS}), then by name, so the listing is stable.
 */
@Singleton
public final class ToolCatalog {

    public static final List<String> TOOLSETS = List.of("project", "items", "comments", "notes", "inbox",
            "announcements", "widget", "members", "releases", "sync");

    private final List<ToolHandler> handlers;
    private final Catalog wire;
    private final Catalog workspaceWire;

    ToolCatalog(List<ToolHandler> handlers, ResourceCatalog resources, PromptCatalog prompts) {
        this.handlers = handlers.stream()
                .sorted(Comparator.<ToolHandler>comparingInt(h -> TOOLSETS.indexOf(h.definition().toolset()))
                        .thenComparing(h -> h.definition().name()))
                .toList();
        List<Catalog.Tool> tools = this.handlers.stream().map(ToolHandler::definition)
                .filter(d -> d.reach() != ToolDefinition.Reach.WORKSPACE).map(ToolDefinition::toWire).toList();
        this.wire = versioned(new Catalog("", tools, resources.resources(), resources.templates(), prompts.prompts()));
        // Prompts are about one project; on a workspace endpoint an agent reaches them through the project tools.
        List<Catalog.Tool> workspaceTools = this.handlers.stream().map(h -> h.definition().toWorkspaceWire()).toList();
        this.workspaceWire = versioned(new Catalog("", workspaceTools, resources.workspaceResources(),
                resources.templates(), List.of()));
    }

    public List<ToolHandler> handlers() {
        return handlers;
    }

    public List<ToolDefinition> definitions() {
        return handlers.stream().map(ToolHandler::definition).toList();
    }

    /** What a project endpoint offers. */
    public Catalog wire() {
        return wire;
    }

    /** What a workspace endpoint offers: every tool (project tools with a projectId argument), workspace resources. */
    public Catalog workspaceWire() {
        return workspaceWire;
    }

    private static Catalog versioned(Catalog unversioned) {
        return new Catalog(version(unversioned), unversioned.tools(), unversioned.resources(),
                unversioned.resourceTemplates(), unversioned.prompts());
    }

    /** A content hash: the edge can tell a changed catalog (and send list_changed) from an unchanged one. */
    private static String version(Catalog catalog) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Json.write(catalog).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
