package com.backlogmcp.backlog;

import com.backlogmcp.backlog.support.ConnectionQueries;

import io.micronaut.transaction.TransactionOperations;

import java.sql.Connection;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Builds fresh workspaces, projects and members straight in the database, one isolated project per test, so
 * tests never depend on each other's rows.
 */
public final class Fixtures {

    private final TransactionOperations<Connection> tx;

    public Fixtures(TransactionOperations<Connection> tx) {
        this.tx = tx;
    }

    public record TestProject(String workspaceId, String projectId, String owner, String admin, String member,
                              String viewer, String outsider) {
    }

    public TestProject project(String plan) {
        return project(plan, true, false);
    }

    public TestProject project(String plan, boolean mcpEnabled, boolean suspended) {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        TestProject p = new TestProject("wrk_" + suffix, "prj_" + suffix, "usr_owner_" + suffix,
                "usr_admin_" + suffix, "usr_member_" + suffix, "usr_viewer_" + suffix, "usr_outsider_" + suffix);
        sql(sql -> {
            sql.update("INSERT INTO workspaces (id, name, plan, mcp_enabled, suspended) VALUES (?, ?, ?, ?, ?)",
                    p.workspaceId(), "Workspace " + suffix, plan, mcpEnabled, suspended);
            sql.update("INSERT INTO projects (id, workspace_id, name) VALUES (?, ?, ?)", p.projectId(), p.workspaceId(),
                    "Project " + suffix);
            for (var m : List.of(List.of(p.owner(), "owner"), List.of(p.admin(), "admin"), List.of(p.member(), "member"),
                    List.of(p.viewer(), "viewer"))) {
                sql.update("INSERT INTO members (project_id, user_id, role, display_name) VALUES (?, ?, ?, ?)",
                        p.projectId(), m.get(0), m.get(1), m.get(1) + " " + suffix);
            }
        });
        return p;
    }

    public TestProject project() {
        return project("business");
    }

    /** Runs statements in one committed transaction. */
    public void sql(Consumer<ConnectionQueries> work) {
        tx.executeWrite(status -> {
            work.accept(new ConnectionQueries(status.getConnection()));
            return null;
        });
    }

    public <T> T query(java.util.function.Function<ConnectionQueries, T> work) {
        return tx.executeWrite(status -> work.apply(new ConnectionQueries(status.getConnection())));
    }
}
