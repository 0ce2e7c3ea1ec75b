package com.backlogmcp.backlog.members;

import com.backlogmcp.backlog.catalog.SharedSchemas;
import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.catalog.ToolDefinition;
import com.backlogmcp.backlog.support.ResultMaps;
import com.backlogmcp.backlog.tools.ToolCall;
import com.backlogmcp.backlog.tools.ToolHandler;
import com.backlogmcp.contracts.vocabulary.Role;
import com.backlogmcp.contracts.vocabulary.Scope;
import jakarta.inject.Singleton;

import java.util.Map;

@Singleton
final class RemoveMemberTool implements ToolHandler {

    private static final ToolDefinition DEFINITION = ToolDefinition.write("remove_member", "Remove a team member",
            "members", Scope.MEMBERS_WRITE, Role.ADMIN, ToolDefinition.Hints.DESTRUCTIVE,
            """
            Removes a user from this project's team. Their access ends with their very next call, including any \
            agent acting for them. Only an owner can remove an owner, and the last owner cannot be removed. \
            Confirm with the user first. Returns "removed" with the user id and the role they had.""",
            Schema.object()
                    .prop("userId", SharedSchemas.userId("The member's user id."))
                    .required("userId"),
            Schema.object().prop("removed", Schema.object()
                    .prop("userId", Schema.string())
                    .prop("role", Schema.enumOf(MemberStore.ROLES))
                    .required("userId", "role")).required("removed"));

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public Map<String, Object> call(ToolCall call) {
        String userId = call.args().requiredText("userId");
        Role current = MemberStore.requireMember(call, userId);
        MemberStore.requireMayManage(call, current, null);
        if (current == Role.OWNER) {
            MemberStore.requireAnotherOwner(call, userId);
        }
        call.sql().update("DELETE FROM members WHERE project_id = ? AND user_id = ?", call.projectId(), userId);
        call.membershipChanged(userId);
        return Map.of("removed", ResultMaps.of("userId", userId, "role", current.wire()));
    }
}
