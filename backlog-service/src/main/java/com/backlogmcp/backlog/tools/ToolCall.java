package com.backlogmcp.backlog.tools;

import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.backlog.support.ResultMaps;
import com.backlogmcp.contracts.vocabulary.Role;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One running tool call: who acts in which project, the validated arguments, the transaction's connection, and
 * the changes to announce once the transaction commits (resource URIs and membership changes).
 */
public final class ToolCall {

    private final String projectId;
    private final String userId;
    private final Role role;
    private final Arguments args;
    private final ConnectionQueries sql;
    private final String workspaceId;
    private final List<String> projectIds;
    private final Set<String> changedUris = new LinkedHashSet<>();
    private final Set<String> membershipChanges = new LinkedHashSet<>();

    public ToolCall(String projectId, String userId, Role role, Arguments args, ConnectionQueries sql) {
        this(projectId, null, List.of(projectId), userId, role, args, sql);
    }

    private ToolCall(String projectId, String workspaceId, List<String> projectIds, String userId, Role role,
                     Arguments args, ConnectionQueries sql) {
        this.projectId = projectId;
        this.workspaceId = workspaceId;
        this.projectIds = projectIds;
        this.userId = userId;
        this.role = role;
        this.args = args;
        this.sql = sql;
    }

    /**
     * A call on a workspace endpoint that names no project: it covers {@code projectIds}, the workspace's projects
     * where the user is a member with the tool's minimum role; {@link #projectId()} and {@link #role()} are null.
     */
    public static ToolCall acrossWorkspace(String workspaceId, List<String> projectIds, String userId, Arguments args,
                                           ConnectionQueries sql) {
        return new ToolCall(null, workspaceId, List.copyOf(projectIds), userId, null, args, sql);
    }

    /** The project the call acts in; null for a call across the workspace. */
    public String projectId() {
        return projectId;
    }

    /** The workspace of a call across the workspace; null for a project call. */
    public String workspaceId() {
        return workspaceId;
    }

    /** The projects the call may read: its project, or every project of the workspace it covers. */
    public List<String> projectIds() {
        return projectIds;
    }

    public boolean acrossWorkspace() {
        return projectId == null;
    }

    public String userId() {
        return userId;
    }

    public Role role() {
        return role;
    }

    public Arguments args() {
        return args;
    }

    public ConnectionQueries sql() {
        return sql;
    }

    /** Records resource URIs this call changed; they go out on backlog.changes.v1 after commit. */
    public void changed(String... uris) {
        changedUris.addAll(List.of(uris));
    }

    public void membershipChanged(String memberUserId) {
        membershipChanges.add(memberUserId);
    }

    public Set<String> changedUris() {
        return changedUris;
    }

    public Set<String> membershipChanges() {
        return membershipChanges;
    }

    /** Applies the caller's {@code verbose}/{@code fields} choice to one full row. */
    public Map<String, Object> shape(Map<String, Object> full, List<String> compactKeys) {
        return ResultMaps.pick(full, compactKeys, args.flag("verbose"), args.strings("fields"));
    }

    public List<Map<String, Object>> shapeAll(List<Map<String, Object>> rows, List<String> compactKeys) {
        return rows.stream().map(r -> shape(r, compactKeys)).toList();
    }
}
