package com.backlogmcp.backlog.members;

import com.backlogmcp.backlog.catalog.Common;
import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.catalog.ToolDefinition;
import com.backlogmcp.backlog.tools.ToolCall;
import com.backlogmcp.backlog.tools.ToolFailure;
import com.backlogmcp.backlog.tools.ToolHandler;
import com.backlogmcp.contracts.vocabulary.Role;
import com.backlogmcp.contracts.vocabulary.Scope;
import jakarta.inject.Singleton;

import java.util.Map;

@Singleton
final class InviteMemberTool implements ToolHandler {

    private static final ToolDefinition DEFINITION = ToolDefinition.write("invite_member", "Add a team member",
            "members", Scope.MEMBERS_WRITE, Role.ADMIN, ToolDefinition.Hints.ADDITIVE,
            """
            Adds a user to this project's team with a role (viewer, member or admin; only an owner can add an \
            owner). The user gets access immediately. A user who is already a member is a CONFLICT: use \
            update_member_role instead. Returns the new membership under "member".""",
            Schema.object()
                    .prop("userId", Common.userId("The user's id (usr_…)."))
                    .prop("role", MemberStore.roleArg("The role to give."))
                    .prop("displayName", Schema.string().minLength(1).maxLength(100).description("Name to show for the member."))
                    .required("userId", "role"),
            Schema.object().prop("member", MemberStore.schema()).required("member"));

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public Map<String, Object> call(ToolCall call) {
        var a = call.args();
        String userId = a.requiredText("userId");
        Role role = Role.fromWire(a.requiredText("role")).orElseThrow();
        MemberStore.requireMayManage(call, null, role);
        int added = call.sql().update("""
                INSERT INTO members (project_id, user_id, role, display_name) VALUES (?, ?, ?, ?)
                ON CONFLICT (project_id, user_id) DO NOTHING""", call.projectId(), userId, role.wire(), a.text("displayName"));
        if (added == 0) {
            throw ToolFailure.conflict(userId + " is already a member of this project.",
                    "Use update_member_role to change their role.");
        }
        call.membershipChanged(userId);
        return Map.of("member", MemberStore.find(call, userId));
    }
}
