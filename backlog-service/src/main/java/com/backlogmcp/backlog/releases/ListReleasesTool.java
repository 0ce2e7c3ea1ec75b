package com.backlogmcp.backlog.releases;

import com.backlogmcp.backlog.catalog.SharedSchemas;
import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.catalog.ToolDefinition;
import com.backlogmcp.backlog.support.Cursors;
import com.backlogmcp.backlog.support.ListPage;
import com.backlogmcp.backlog.tools.ToolCall;
import com.backlogmcp.backlog.tools.ToolHandler;
import com.backlogmcp.contracts.vocabulary.Role;
import com.backlogmcp.contracts.vocabulary.Scope;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@Singleton
final class ListReleasesTool implements ToolHandler {

    private static final String KIND = "rel1";

    private static final ToolDefinition DEFINITION = ToolDefinition.read("list_releases", "List releases", "releases",
            Scope.BACKLOG_READ, Role.VIEWER,
            """
            Lists the project's releases, newest first, optionally only one status (planned, in_progress, \
            released), with target date and item count. Use list_items with releaseId to see a release's items. \
            Returns "releases" (at most limit, default 50, max 100) and "nextCursor" when more remain.""",
            Schema.object()
                    .prop("status", Schema.enumOf(ReleaseStore.STATUSES).description("Only releases in this status."))
                    .prop("limit", SharedSchemas.limit())
                    .prop("cursor", SharedSchemas.cursor())
                    .prop("verbose", SharedSchemas.verbose())
                    .prop("fields", SharedSchemas.fields(ReleaseStore.FIELDS)),
            SharedSchemas.page("releases", ReleaseStore.schema()));

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public Map<String, Object> call(ToolCall call) {
        var a = call.args();
        List<Object> params = new ArrayList<>(List.of(call.projectId()));
        StringBuilder where = new StringBuilder(" WHERE r.project_id = ?");
        if (a.has("status")) {
            where.append(" AND r.status = ?");
            params.add(a.text("status"));
        }
        // Offset paging: a project has few releases, and their order (creation time) never changes.
        int offset = a.has("cursor") ? Cursors.offset(Cursors.decode(KIND, a.text("cursor"), 1).get(0)) : 0;
        int limit = a.limit();
        params.add(offset);
        ListPage<Map<String, Object>> page = ListPage.fetch(limit, params, p -> call.sql().list(ReleaseStore.SELECT + where
                + " ORDER BY r.created_at DESC, r.id DESC OFFSET ? LIMIT ?", ReleaseStore::row, p));
        return page.result("releases", r -> call.shape(r, ReleaseStore.COMPACT),
                p -> Cursors.encode(KIND, offset + limit));
    }
}
