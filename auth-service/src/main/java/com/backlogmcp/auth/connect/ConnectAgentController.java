package com.backlogmcp.auth.connect;

import com.backlogmcp.auth.backlog.BacklogClient;
import com.backlogmcp.auth.session.AccountSession;
import com.backlogmcp.auth.session.Session;
import com.backlogmcp.auth.support.AuthSettings;
import com.backlogmcp.auth.support.Pages;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /account/connect}: each of the user's projects with its MCP URL, the one-line installer, the VS Code and Cursor
 * install links, and the configuration each of the eight documented agents needs (docs/agents.md has the sources).
 */
@Controller("/account/connect")
final class ConnectAgentController {

    /** One project's MCP endpoint and every way offered to connect an agent to it. */
    record Connection(String projectId, String projectName, String role, String url, String name, String installLine,
                      String vscodeLink, String cursorLink, List<Map<String, String>> snippets) {
    }

    private final AccountSession account;
    private final BacklogClient backlog;
    private final AuthSettings settings;

    ConnectAgentController(AccountSession account, BacklogClient backlog, AuthSettings settings) {
        this.account = account;
        this.backlog = backlog;
        this.settings = settings;
    }

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<?> page(HttpRequest<?> request) {
        Optional<Session> session = account.current(request);
        if (session.isEmpty()) {
            return account.loginRedirect(request);
        }
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Connect an agent");
        model.put("user", session.get().user());
        model.put("csrf", session.get().csrfToken());
        model.put("issuer", settings.issuerBase());
        try {
            model.put("connections", backlog.projectsOf(session.get().user().id()).stream()
                    .map(p -> connection(p, settings.mcpEndpoint(p.projectId()), settings.issuerBase())).toList());
            model.put("unavailable", false);
        } catch (BacklogClient.Unavailable e) {
            model.put("connections", List.of());
            model.put("unavailable", true);
        }
        return Pages.page(HttpStatus.OK, "connect", model);
    }

    static Connection connection(BacklogClient.ProjectRef p, String url, String issuerBase) {
        String name = "backlog-" + p.projectId().replaceAll("[^A-Za-z0-9_-]", "");
        String q = "\"" + name + "\"";
        List<Map<String, String>> snippets = List.of(
                snippet("Claude Code", ".mcp.json (project) — or run the command below",
                        "claude mcp add --transport http --scope project " + name + " " + url),
                snippet("Codex CLI", ".codex/config.toml (trusted project) or ~/.codex/config.toml",
                        "[mcp_servers." + name + "]\nurl = \"" + url + "\"\n# then: codex mcp login " + name),
                snippet("Cursor", ".cursor/mcp.json or ~/.cursor/mcp.json",
                        "{\n  \"mcpServers\": {\n    " + q + ": { \"url\": \"" + url + "\" }\n  }\n}"),
                snippet("VS Code (Copilot)", ".vscode/mcp.json",
                        "{\n  \"servers\": {\n    " + q + ": { \"type\": \"http\", \"url\": \"" + url + "\" }\n  }\n}"),
                snippet("OpenCode", "opencode.json",
                        "{\n  \"$schema\": \"https://opencode.ai/config.json\",\n  \"mcp\": {\n    " + q
                                + ": { \"type\": \"remote\", \"url\": \"" + url + "\", \"enabled\": true }\n  }\n}"),
                snippet("Antigravity", "~/.gemini/antigravity/mcp_config.json",
                        "{\n  \"mcpServers\": {\n    " + q + ": { \"command\": \"npx\", \"args\": [\"-y\", \"mcp-remote\", \"" + url + "\"] }\n  }\n}"),
                snippet("Windsurf", "~/.codeium/windsurf/mcp_config.json",
                        "{\n  \"mcpServers\": {\n    " + q + ": { \"serverUrl\": \"" + url + "\" }\n  }\n}"),
                snippet("Claude Desktop", "claude_desktop_config.json (Settings → Developer → Edit Config)",
                        "{\n  \"mcpServers\": {\n    " + q + ": { \"command\": \"npx\", \"args\": [\"-y\", \"mcp-remote\", \"" + url + "\"] }\n  }\n}"));
        return new Connection(p.projectId(), p.projectName() == null ? p.projectId() : p.projectName(), p.role(), url, name,
                InstallLinks.installLine(issuerBase, url, name), InstallLinks.vscodeLink(name, url), InstallLinks.cursorLink(name, url),
                snippets);
    }

    private static Map<String, String> snippet(String agent, String where, String text) {
        return Map.of("agent", agent, "where", where, "text", text);
    }
}
