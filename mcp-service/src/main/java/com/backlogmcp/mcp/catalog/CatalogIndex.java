package com.backlogmcp.mcp.catalog;

import com.backlogmcp.contracts.internal.Catalog;
import com.backlogmcp.mcp.endpoint.Endpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A catalog with look-ups by tool and prompt name and by resource URI (concrete or template). */
public final class CatalogIndex {

    private static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");

    private final Catalog catalog;
    private final Map<String, Catalog.Tool> tools = new LinkedHashMap<>();
    private final Map<String, Catalog.Prompt> prompts = new LinkedHashMap<>();

    CatalogIndex(Catalog catalog) {
        this.catalog = catalog;
        nullSafe(catalog.tools()).forEach(t -> tools.put(t.name(), t));
        nullSafe(catalog.prompts()).forEach(p -> prompts.put(p.name(), p));
    }

    public List<Catalog.Tool> tools() {
        return List.copyOf(tools.values());
    }

    public Optional<Catalog.Tool> tool(String name) {
        return Optional.ofNullable(tools.get(name));
    }

    public List<Catalog.Prompt> prompts() {
        return List.copyOf(prompts.values());
    }

    public Optional<Catalog.Prompt> prompt(String name) {
        return Optional.ofNullable(prompts.get(name));
    }

    public List<Catalog.Resource> resources() {
        return nullSafe(catalog.resources());
    }

    public List<Catalog.ResourceTemplate> resourceTemplates() {
        return nullSafe(catalog.resourceTemplates());
    }

    /** {@code {projectId}} in a catalog URI is the endpoint's project; everything else stays as declared. */
    public static String bind(String uri, String projectId) {
        return uri.replace("{projectId}", projectId);
    }

    /**
     * A catalog URI as {@code endpoint} serves it: {@code {projectId}} is a project endpoint's project,
     * {@code {workspaceId}} a workspace endpoint's workspace; on a workspace endpoint {@code {projectId}} stays a
     * variable (any of its projects, each checked when read).
     */
    public static String bind(String uri, Endpoint endpoint) {
        return endpoint.isWorkspace() ? uri.replace("{workspaceId}", endpoint.id()) : bind(uri, endpoint.id());
    }

    /** The scope guarding a resource URI of this project: a concrete resource's, else the first matching template's. */
    public Optional<String> scopeOfResource(String uri, String projectId) {
        return scopeOfResource(uri, Endpoint.project(projectId));
    }

    /** The scope guarding a resource URI on {@code endpoint}: a concrete resource's, else the first matching template's. */
    public Optional<String> scopeOfResource(String uri, Endpoint endpoint) {
        for (Catalog.Resource r : resources()) {
            if (bind(r.uri(), endpoint).equals(uri)) {
                return Optional.ofNullable(r.scope());
            }
        }
        for (Catalog.ResourceTemplate t : resourceTemplates()) {
            if (templatePattern(bind(t.uriTemplate(), endpoint)).matcher(uri).matches()) {
                return Optional.ofNullable(t.scope());
            }
        }
        return Optional.empty();
    }

    /**
     * The scope guarding a project's resource ({@code backlog://projects/{projectId}/…}) whatever the project: how
     * a workspace endpoint reads the resources of its projects, each checked for membership when read.
     */
    public Optional<String> scopeOfAnyProjectResource(String uri) {
        for (Catalog.Resource r : resources()) {
            if (r.uri().contains("{projectId}") && templatePattern(r.uri()).matcher(uri).matches()) {
                return Optional.ofNullable(r.scope());
            }
        }
        return Optional.empty();
    }

    /** The scope guarding a completion reference ({@code ref/prompt} by name, {@code ref/resource} by template). */
    public Optional<String> scopeOfTemplate(String uriTemplate, Endpoint endpoint) {
        for (Catalog.ResourceTemplate t : resourceTemplates()) {
            if (bind(t.uriTemplate(), endpoint).equals(uriTemplate) || t.uriTemplate().equals(uriTemplate)) {
                return Optional.ofNullable(t.scope());
            }
        }
        return scopeOfResource(uriTemplate, endpoint);
    }

    private static Pattern templatePattern(String template) {
        StringBuilder regex = new StringBuilder();
        Matcher m = VARIABLE.matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start()))).append("[^/?#]+");
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        return Pattern.compile(regex.toString());
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
