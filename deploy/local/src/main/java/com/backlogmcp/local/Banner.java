package com.backlogmcp.local;

import com.backlogmcp.contracts.demo.DemoFixture;

/** What the user sees once the stack is up: where to point an agent, and how to log in. */
final class Banner {

    private Banner() {
    }

    static String render(StackSettings s, long startupMillis) {
        StringBuilder b = new StringBuilder();
        b.append("\nBacklog MCP is running (ready in ").append(startupMillis / 1000.0).append(" s). Data: ")
                .append(s.dataDir()).append('\n');
        b.append("\nMCP endpoints (point your agent here):\n");
        for (DemoFixture.DemoProject p : DemoFixture.PROJECTS) {
            b.append(String.format("  %-12s %s/p/%s/mcp   (%s plan, MCP add-on %s)%n", p.projectId(), s.mcpPublicUrl(),
                    p.projectId(), p.plan(), p.mcpEnabled() ? "on" : "off"));
        }
        b.append("Workspace endpoints (every project of the workspace you belong to; call list_projects first):\n");
        for (DemoFixture.DemoProject p : DemoFixture.PROJECTS) {
            b.append(String.format("  %-12s %s/w/%s/mcp%n", p.workspaceId(), s.mcpPublicUrl(), p.workspaceId()));
        }
        b.append("\nOAuth issuer:   ").append(s.issuerUrl()).append('\n');
        b.append("Sign in / connected apps / API keys: ").append(s.issuerUrl()).append("/login\n");
        b.append("\nDemo logins (password = demo- + the part before @):\n");
        for (DemoFixture.DemoUser u : DemoFixture.USERS) {
            b.append(String.format("  %-24s %s%n", u.email(), u.password()));
        }
        String url = s.mcpPublicUrl() + "/p/prj_acme/mcp";
        b.append("\nAgent config (Claude Code):  claude mcp add --transport http backlog ").append(url).append('\n');
        b.append("Agent config (Cursor, .cursor/mcp.json; VS Code uses \"servers\" in .vscode/mcp.json):\n");
        b.append("  {\"mcpServers\": {\"backlog\": {\"url\": \"").append(url).append("\"}}}\n");
        b.append("\nInternal services: backlog http://localhost:").append(s.backlogPort())
                .append(", audit http://localhost:").append(s.auditPort())
                .append(" (service credentials only). Logs: ").append(s.dataDir().resolve("logs")).append('\n');
        b.append("Press Ctrl-C to stop.\n");
        return b.toString();
    }
}
