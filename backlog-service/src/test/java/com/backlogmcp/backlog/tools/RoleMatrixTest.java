package com.backlogmcp.backlog.tools;

import com.backlogmcp.backlog.Fixtures;
import com.backlogmcp.backlog.catalog.ToolDefinition;
import com.backlogmcp.contracts.vocabulary.Role;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every tool is refused below its minimum role, and for non-members; admission comes before argument validation,
 * so the refusal does not depend on the arguments. Also the workspace checks the backlog repeats after the edge.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoleMatrixTest extends ToolTestSupport {

    @Inject
    ToolCatalog catalog;

    Fixtures.TestProject p;

    @BeforeAll
    void project() {
        p = fixtures().project();
    }

    String userWith(Role role) {
        return switch (role) {
            case VIEWER -> p.viewer();
            case MEMBER -> p.member();
            case ADMIN -> p.admin();
            case OWNER -> p.owner();
        };
    }

    @Test
    void everyToolWhenRoleBelowMinimumThenForbidden() {
        int checked = 0;
        for (ToolDefinition tool : projectTools()) {
            for (Role role : Role.values()) {
                String outcome = internal().tool(tool.name(), p.projectId(), userWith(role), Map.of()).errorType();
                if (role.atLeast(tool.minRole())) {
                    assertNotEquals("FORBIDDEN", outcome, tool.name() + " as " + role);
                } else {
                    assertEquals("FORBIDDEN", outcome, tool.name() + " as " + role);
                    checked++;
                }
            }
        }
        assertTrue(checked >= 20, "the matrix must refuse something: " + checked);
    }

    /** The tools a project endpoint offers (workspace-only ones are checked in WorkspaceToolsTest). */
    private java.util.List<ToolDefinition> projectTools() {
        return catalog.definitions().stream().filter(d -> d.reach() != ToolDefinition.Reach.WORKSPACE).toList();
    }

    @Test
    void everyToolWhenNotAMemberThenNotAMember() {
        for (ToolDefinition tool : projectTools()) {
            assertEquals("NOT_A_MEMBER", internal().tool(tool.name(), p.projectId(), p.outsider(), Map.of()).errorType(),
                    tool.name());
        }
    }

    @Test
    void toolWhenProjectUnknownThenNotFound() {
        assertEquals("NOT_FOUND", internal().tool("list_items", "prj_unknown", p.owner(), Map.of()).errorType());
    }

    @Test
    void writeToolWhenFreePlanThenPlanReadOnlyButReadsWork() {
        var free = fixtures().project("free");
        assertEquals("PLAN_READ_ONLY", fail("create_item", free, free.owner(), Map.of("title", "x")));
        ok("list_items", free, free.owner(), Map.of());
    }

    @Test
    void toolWhenWorkspaceSuspendedThenWorkspaceSuspended() {
        var suspended = fixtures().project("pro", true, true);
        assertEquals("WORKSPACE_SUSPENDED", fail("list_items", suspended, suspended.owner(), Map.of()));
    }

    @Test
    void toolWhenAddOnOffThenMcpDisabled() {
        var off = fixtures().project("pro", false, false);
        assertEquals("MCP_DISABLED", fail("get_project", off, off.owner(), Map.of()));
    }

    @Test
    void toolWhenMemberRemovedThenNextCallRefused() {
        var q = fixtures().project();
        ok("list_items", q, q.member(), Map.of());
        fixtures().sql(sql -> sql.update("DELETE FROM members WHERE project_id = ? AND user_id = ?", q.projectId(), q.member()));
        assertEquals("NOT_A_MEMBER", fail("list_items", q, q.member(), Map.of()));
    }
}
