package com.backlogmcp.backlog.members;

import com.backlogmcp.backlog.catalog.SharedSchemas;
import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.catalog.ToolDefinition;
import com.backlogmcp.backlog.tools.ToolCall;
import com.backlogmcp.backlog.tools.ToolHandler;
import com.backlogmcp.contracts.vocabulary.Role;
import com.backlogmcp.contracts.vocabulary.Scope;
import jakarta.inject.Singleton;

import java.util.Map;

@Singleton
final class UpdateMemberRoleTool implements ToolHandler {

    private static final ToolDefinition DEFINITION = ToolDefinition.write("update_member_role", "Change a member's role",
            "members", Scope.MEMBERS_WRITE, Role.ADMIN, ToolDefinition.Hints.IDEMPOTENT_WRITE,
            """
            Changes a team member's role (viewer < member < admin < owner). Takes effect on the member's next \
            call. Only an owner can grant or take away the owner role, and the last owner cannot be demoted. \
            Setting the role a member already has changes nothing. Returns the membership under "member".""",
            Schema.object()
                    .prop("userId", SharedSchemas.userId("The member's user id."))
                    .prop("role", MemberStore.roleArg("The new role."))
                    .required("userId", "role"),
            Schema.object().prop("member", MemberStore.schema()).required("member"));

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public Map<String, Object> call(ToolCall call) {
        String userId = call.args().requiredText("userId");
        Role next = Role.fromWire(call.args().requiredText("role")).orElseThrow();
        Role current = MemberStore.requireMember(call, userId);
        if (current != next) {
            MemberStore.requireMayManage(call, current, next);
            if (current == Role.OWNER) {
                MemberStore.requireAnotherOwner(call, userId);
            }
            call.sql().update("UPDATE members SET role = ?, updated_at = now() WHERE project_id = ? AND user_id = ?",
                    next.wire(), call.projectId(), userId);
            call.membershipChanged(userId);
        }
        return Map.of("member", MemberStore.find(call, userId));
    }
}
