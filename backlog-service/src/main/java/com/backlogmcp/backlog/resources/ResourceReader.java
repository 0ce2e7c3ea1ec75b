package com.backlogmcp.backlog.resources;

import com.backlogmcp.backlog.catalog.ResourceCatalog;
import com.backlogmcp.backlog.comments.ItemPosts;
import com.backlogmcp.backlog.items.Item;
import com.backlogmcp.backlog.items.ItemListing;
import com.backlogmcp.backlog.items.ItemStore;
import com.backlogmcp.backlog.items.ItemView;
import com.backlogmcp.backlog.items.ProjectStatuses;
import com.backlogmcp.backlog.project.ProjectOverview;
import com.backlogmcp.backlog.releases.ReleaseStore;
import com.backlogmcp.backlog.support.Json;
import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.backlog.support.ResultMaps;
import com.backlogmcp.backlog.items.MappingStore;
import com.backlogmcp.backlog.support.ToolFailure;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one resource URI of the catalog, bound to the caller's project: a URI naming another project, or an item
 * of another project, is not found, exactly like one that does not exist.
 */
final class ResourceReader {

    private static final Pattern PROJECT = Pattern.compile("^backlog://projects/([^/]+)(/items|/releases|/task-mappings)?$");
    private static final Pattern ITEM = Pattern.compile("^backlog://items/([^/]+)$");
    static final int MAX_ROWS = 100;

    private ResourceReader() {
    }

    static Map<String, Object> read(ConnectionQueries sql, String projectId, String uri) {
        Object content = resolve(sql, projectId, uri);
        return Map.of("contents", List.of(ResultMaps.of("uri", uri, "mimeType", ResourceCatalog.JSON,
                "text", Json.write(content))));
    }

    private static Object resolve(ConnectionQueries sql, String projectId, String uri) {
        Matcher project = PROJECT.matcher(uri);
        if (project.matches()) {
            if (!project.group(1).equals(projectId)) {
                throw notFound(uri);
            }
            String sub = project.group(2);
            if (sub == null) {
                return Map.of("project", ProjectOverview.of(sql, projectId));
            }
            return switch (sub) {
                case "/items" -> {
                    var names = ProjectStatuses.names(sql, projectId);
                    var page = ItemListing.page(sql, projectId, new ItemListing.Filters(null, null, null, null, false,
                            null, null, null, null), MAX_ROWS, null);
                    yield Map.of("items", page.items().stream()
                            .map(i -> ResultMaps.pick(ItemView.full(i, names), ItemView.COMPACT, false, null)).toList());
                }
                case "/releases" -> Map.of("releases", ReleaseStore.all(sql, projectId));
                default -> Map.of("mappings", MappingStore.forProject(sql, projectId, 1000));
            };
        }
        Matcher item = ITEM.matcher(uri);
        if (item.matches()) {
            Item found = ItemStore.find(sql, projectId, item.group(1)).orElseThrow(() -> notFound(uri));
            Map<String, Object> full = ItemView.full(found, ProjectStatuses.names(sql, projectId));
            full.put("subtasks", ItemStore.subtasks(sql, projectId, found.id()));
            full.put("externalMappings", MappingStore.forItem(sql, projectId, found.id()));
            // The discussion belongs to the item as a reader sees it; a very long thread shows its latest part.
            full.put("comments", ItemPosts.latestComments(sql, projectId, found.id(), MAX_ROWS));
            full.put("commentCount", ItemPosts.count(sql, projectId, found.id()));
            return Map.of("item", full);
        }
        throw notFound(uri);
    }

    private static ToolFailure notFound(String uri) {
        return ToolFailure.of(com.backlogmcp.contracts.vocabulary.ErrorType.NOT_FOUND,
                "No resource " + uri + " in this project.", "List the resources (resources/list) to find a valid URI.");
    }
}
