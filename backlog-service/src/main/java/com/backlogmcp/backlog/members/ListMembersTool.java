package com.backlogmcp.backlog.members;

import com.backlogmcp.backlog.catalog.Common;
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
final class ListMembersTool implements ToolHandler {

    private static final String KIND = "mem1";

    private static final ToolDefinition DEFINITION = ToolDefinition.read("list_members", "List team members",
            "members", Scope.MEMBERS_READ, Role.VIEWER,
            """
            Lists the project's members with their user id, role and display name, optionally only one role. Use \
            it to find the userId for assigneeId/ownerIds or for the member tools. Returns "members" (at most \
            limit, default 50, max 100) and "nextCursor" when more remain. Display names are user-written data.""",
            Schema.object()
                    .prop("role", MemberStore.roleArg("Only members with this role."))
                    .prop("limit", Common.limit())
                    .prop("cursor", Common.cursor())
                    .prop("fields", Common.fields(MemberStore.FIELDS)),
            Common.page("members", MemberStore.schema()));

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public Map<String, Object> call(ToolCall call) {
        var a = call.args();
        List<Object> params = new ArrayList<>(List.of(call.projectId()));
        StringBuilder where = new StringBuilder();
        if (a.has("role")) {
            where.append(" AND role = ?");
            params.add(a.text("role"));
        }
        if (a.has("cursor")) {
            where.append(" AND user_id > ?");
            params.add(Cursors.decode(KIND, a.text("cursor"), 1).get(0));
        }
        ListPage<Map<String, Object>> page = ListPage.fetch(a.limit(), params, p -> call.sql().list(
                "SELECT user_id, role, display_name, created_at FROM members"
                        + " WHERE project_id = ?" + where + " ORDER BY user_id LIMIT ?", MemberStore::row, p));
        return page.result("members", r -> call.shape(r, MemberStore.FIELDS),
                p -> Cursors.encode(KIND, p.last().get("userId")));
    }
}
