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

/** {@code /account/connect}: each of the user's projects with its MCP URL and a ready config for common agents. */
@Controller("/account/connect")
final class ConnectAgentController {

    /** One project's MCP endpoint and the snippets that connect an agent to it. */
    record Connection(String projectId, String projectName, String role, String url, List<Map<String, String>> snippets) {
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
        try {
            model.put("connections", backlog.projectsOf(session.get().user().id()).stream()
                    .map(p -> connection(p, settings.mcpEndpoint(p.projectId()))).toList());
            model.put("unavailable", false);
        } catch (BacklogClient.Unavailable e) {
            model.put("connections", List.of());
            model.put("unavailable", true);
        }
        return Pages.page(HttpStatus.OK, "connect", model);
    }

    static Connection connection(BacklogClient.ProjectRef p, String url) {
        String name = "backlog-" + p.projectId().replaceAll("[^A-Za-z0-9_-]", "");
        List<Map<String, String>> snippets = List.of(
                Map.of("agent", "Claude Code", "where", "terminal",
                        "text", "claude mcp add --transport http " + name + " " + url),
                Map.of("agent", "Cursor", "where", "~/.cursor/mcp.json",
                        "text", "{\n  \"mcpServers\": {\n    \"" + name + "\": { \"url\": \"" + url + "\" }\n  }\n}"),
                Map.of("agent", "VS Code", "where", ".vscode/mcp.json",
                        "text", "{\n  \"servers\": {\n    \"" + name + "\": { \"type\": \"http\", \"url\": \"" + url + "\" }\n  }\n}"),
                Map.of("agent", "Codex", "where", "~/.codex/config.toml",
                        "text", "[mcp_servers." + name.replace('-', '_') + "]\nurl = \"" + url + "\""),
                Map.of("agent", "Windsurf", "where", "~/.codeium/windsurf/mcp_config.json",
                        "text", "{\n  \"mcpServers\": {\n    \"" + name + "\": { \"serverUrl\": \"" + url + "\" }\n  }\n}"));
        return new Connection(p.projectId(), p.projectName() == null ? p.projectId() : p.projectName(), p.role(), url, snippets);
    }
}
