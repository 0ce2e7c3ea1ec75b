package com.backlogmcp.backlog.members;

import com.backlogmcp.backlog.config.BacklogSettings;
import com.backlogmcp.backlog.catalog.SharedSchemas;
import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.catalog.ToolDefinition;
import com.backlogmcp.backlog.people.AuthDirectory;
import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.backlog.support.ResultMaps;
import com.backlogmcp.backlog.tools.ToolCall;
import com.backlogmcp.backlog.support.ToolFailure;
import com.backlogmcp.backlog.tools.ToolHandler;
import com.backlogmcp.contracts.vocabulary.Role;
import com.backlogmcp.contracts.vocabulary.Scope;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;
import java.util.Map;

@Singleton
final class InviteMemberTool implements ToolHandler {

    private static final ToolDefinition DEFINITION = ToolDefinition.write("invite_member", "Add a team member",
            "members", Scope.MEMBERS_WRITE, Role.ADMIN, ToolDefinition.Hints.ADDITIVE,
            """
            Adds a person to this project's team with a role (viewer, member or admin; only an owner can add an \
            owner), by email or by userId (exactly one). A person who has an account gets access immediately \
            (outcome "added", the membership under "member"). An email with no account yet becomes a pending \
            invitation (outcome "invited", under "invitation" with acceptUrl, the one-time link to send them): it \
            turns into membership when they create their account there and sign in, and expires after a few days. \
            An existing member or open invitation is a CONFLICT. Returns "outcome" and "member" or "invitation".""",
            Schema.object()
                    .prop("email", Schema.string().minLength(3).maxLength(320).pattern("^[^@\\s]+@[^@\\s]+$")
                            .description("The person's email address."))
                    .prop("userId", SharedSchemas.userId("The user's id (usr_…), e.g. from list_members of another project."))
                    .prop("role", MemberStore.roleArg("The role to give."))
                    .prop("displayName", Schema.string().minLength(1).maxLength(100).description("Name to show for the member."))
                    .required("role"),
            Schema.object()
                    .prop("outcome", Schema.enumOf("added", "invited"))
                    .prop("member", MemberStore.schema())
                    .prop("invitation", Invitations.schema())
                    .required("outcome"));

    private final AuthDirectory directory;
    private final Duration invitationTtl;
    private final String authIssuer;

    InviteMemberTool(AuthDirectory directory, BacklogSettings settings) {
        this.directory = directory;
        this.invitationTtl = settings.invitationTtl();
        this.authIssuer = settings.authIssuerBase();
    }

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public Map<String, Object> call(ToolCall call) {
        var a = call.args();
        Role role = Role.fromWire(a.requiredText("role")).orElseThrow();
        if (a.has("email") == a.has("userId")) {
            throw ToolFailure.invalid(a.has("email") ? "userId" : "email", "give exactly one of email and userId");
        }
        MemberStore.requireMayManage(call, null, role);
        String userId = a.text("userId");
        String displayName = a.text("displayName");
        if (userId == null) {
            String email = AuthDirectory.normalise(a.requiredText("email"));
            List<AuthDirectory.Person> found = directory.byEmails(List.of(email));
            if (found.isEmpty()) {
                return invite(call, email, role, displayName);
            }
            userId = found.get(0).userId();
            if (displayName == null) {
                displayName = found.get(0).displayName();
            }
        }
        int added = call.sql().update("""
                INSERT INTO members (project_id, user_id, role, display_name) VALUES (?, ?, ?, ?)
                ON CONFLICT (project_id, user_id) DO NOTHING""", call.projectId(), userId, role.wire(), displayName);
        if (added == 0) {
            throw ToolFailure.conflict(userId + " is already a member of this project.",
                    "Use update_member_role to change their role.");
        }
        call.membershipChanged(userId);
        return ResultMaps.of("outcome", "added", "member", MemberStore.find(call, userId));
    }

    private Map<String, Object> invite(ToolCall call, String email, Role role, String displayName) {
        ConnectionQueries sql = call.sql();
        boolean open = sql.one("SELECT 1 FROM invitations WHERE project_id = ? AND email = ? AND status = 'pending'"
                + " AND expires_at > now()", rs -> 1, call.projectId(), email).isPresent();
        if (open) {
            throw ToolFailure.conflict(email + " already has an open invitation to this project.",
                    "Wait for them to accept it, or ask them to check their link; it expires on its own.");
        }
        String workspaceId = sql.one("SELECT workspace_id FROM projects WHERE id = ?", rs -> rs.getString(1),
                call.projectId()).orElseThrow();
        Invitations.Created created = Invitations.create(sql, workspaceId, call.projectId(), email, role, displayName,
                call.userId(), invitationTtl);
        Map<String, Object> invitation = ResultMaps.of("id", created.view().get("id"), "email", email,
                "role", role.wire(), "status", "pending", "createdAt", created.view().get("createdAt"),
                "expiresAt", created.view().get("expiresAt"),
                "acceptUrl", authIssuer + "/invitations/" + created.token());
        return ResultMaps.of("outcome", "invited", "invitation", invitation);
    }
}
