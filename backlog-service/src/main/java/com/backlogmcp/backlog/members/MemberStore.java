package com.backlogmcp.backlog.members;

import com.backlogmcp.backlog.catalog.SharedSchemas;
import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.backlog.support.UntrustedText;
import com.backlogmcp.backlog.support.ResultMaps;
import com.backlogmcp.backlog.tools.ToolCall;
import com.backlogmcp.backlog.support.ToolFailure;
import com.backlogmcp.contracts.vocabulary.ErrorType;
import com.backlogmcp.contracts.vocabulary.Role;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Team membership and the rules that protect it (admins manage non-owners; a project always keeps an owner). */
final class MemberStore {

    static final List<String> FIELDS = List.of("userId", "role", "displayName", "email", "joinedAt");
    static final List<String> ROLES = Arrays.stream(Role.values()).map(Role::wire).toList();

    private MemberStore() {
    }

    static Map<String, Object> row(ResultSet rs) throws SQLException {
        return ResultMaps.of("userId", rs.getString("user_id"), "role", rs.getString("role"),
                "displayName", UntrustedText.wrap(rs.getString("display_name")),
                "joinedAt", ResultMaps.time(ConnectionQueries.instant(rs, "created_at")));
    }

    /** The target must be a member of this project; locked so concurrent role changes serialise. */
    static Role requireMember(ToolCall call, String userId) {
        return call.sql().one("SELECT role FROM members WHERE project_id = ? AND user_id = ? FOR UPDATE",
                        rs -> Role.fromWire(rs.getString(1)).orElseThrow(), call.projectId(), userId)
                .orElseThrow(() -> ToolFailure.notFound("member", userId));
    }

    static Map<String, Object> find(ToolCall call, String userId) {
        return call.sql().one("SELECT user_id, role, display_name, created_at FROM members WHERE project_id = ? AND user_id = ?",
                MemberStore::row, call.projectId(), userId).orElseThrow();
    }

    /** Only an owner may grant, change or remove the owner role. */
    static void requireMayManage(ToolCall call, Role targetCurrent, Role targetNew) {
        boolean touchesOwner = targetCurrent == Role.OWNER || targetNew == Role.OWNER;
        if (touchesOwner && call.role() != Role.OWNER) {
            throw ToolFailure.of(ErrorType.FORBIDDEN, "Only an owner can grant, change or remove the owner role.",
                    "Ask a project owner to make this change.");
        }
    }

    /** A project never loses its last owner. Owners are locked so two concurrent demotions cannot both pass. */
    static void requireAnotherOwner(ToolCall call, String leavingUserId) {
        long others = call.sql().list("SELECT user_id FROM members WHERE project_id = ? AND role = 'owner' FOR UPDATE",
                rs -> rs.getString(1), call.projectId()).stream().filter(u -> !u.equals(leavingUserId)).count();
        if (others == 0) {
            throw ToolFailure.conflict("The project would be left without an owner.",
                    "Make another member owner first, then change or remove this one.");
        }
    }

    static Schema schema() {
        return Schema.object()
                .prop("userId", Schema.string())
                .prop("role", Schema.enumOf(ROLES))
                .prop("displayName", SharedSchemas.nullableUntrusted("Display name"))
                .prop("email", Schema.nullableString().description("The member's sign-in email, from the account "
                        + "directory (null if the account no longer exists)."))
                .prop("joinedAt", SharedSchemas.timestamp("When the user joined the project."));
    }

    static Schema roleArg(String what) {
        return Schema.enumOf(ROLES).description(what + " viewer < member < admin < owner.");
    }
}
