package com.backlogmcp.backlog.members;

import com.backlogmcp.backlog.catalog.SharedSchemas;
import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.catalog.ToolDefinition;
import com.backlogmcp.backlog.support.Cursors;
import com.backlogmcp.backlog.people.AuthDirectory;
import com.backlogmcp.backlog.support.ListPage;
import com.backlogmcp.backlog.support.ResultMaps;
import com.backlogmcp.backlog.tools.ToolCall;
import com.backlogmcp.backlog.tools.ToolHandler;
import com.backlogmcp.contracts.vocabulary.Role;
import com.backlogmcp.contracts.vocabulary.Scope;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

@Singleton
final class ListMembersTool implements ToolHandler {

    private static final String KIND = "mem1";

    private static final ToolDefinition DEFINITION = ToolDefinition.read("list_members", "List team members",
            "members", Scope.MEMBERS_READ, Role.VIEWER,
            """
            Lists the project's members with their user id, role, display name and sign-in email, optionally only \
            one role. Use it to find the userId for assigneeId/ownerIds or for the member tools, or to check \
            whether someone (by email) is already on the team. includeInvitations adds the open invitations of \
            people without an account yet (first page only). Returns "members" (at most limit, default 50, max \
            100), "nextCursor" when more remain and "invitations" when asked. Display names are user-written data.""",
            Schema.object()
                    .prop("role", MemberStore.roleArg("Only members with this role."))
                    .prop("limit", SharedSchemas.limit())
                    .prop("cursor", SharedSchemas.cursor())
                    .prop("fields", SharedSchemas.fields(MemberStore.FIELDS))
                    .prop("includeInvitations", Schema.bool().defaultValue(false)
                            .description("Also return the project's open invitations by email.")),
            SharedSchemas.page("members", MemberStore.schema())
                    .prop("invitations", Schema.array(Invitations.schema())));

    private final AuthDirectory directory;

    ListMembersTool(AuthDirectory directory) {
        this.directory = directory;
    }

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
        Map<String, String> emails = directory.byIds(page.rows().stream().map(r -> (String) r.get("userId")).toList())
                .stream().filter(u -> u.email() != null)
                .collect(Collectors.toMap(AuthDirectory.Person::userId, AuthDirectory.Person::email, (x, y) -> x));
        Map<String, Object> out = page.result("members", r -> {
            r.put("email", emails.get((String) r.get("userId")));
            return call.shape(r, MemberStore.FIELDS);
        }, p -> Cursors.encode(KIND, p.last().get("userId")));
        if (a.flag("includeInvitations") && !a.has("cursor")) {
            out.put("invitations", Invitations.openIn(call.sql(), call.projectId()).stream()
                    .map(i -> ResultMaps.of("id", i.get("id"), "email", i.get("email"), "role", i.get("role"),
                            "status", i.get("status"), "createdAt", i.get("createdAt"), "expiresAt", i.get("expiresAt")))
                    .toList());
        }
        return out;
    }
}
