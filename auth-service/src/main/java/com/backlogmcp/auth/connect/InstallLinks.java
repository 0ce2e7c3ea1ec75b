package com.backlogmcp.auth.connect;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The one-step ways to connect an agent to a project: the installer command line (served by {@link InstallScriptController})
 * and the install links VS Code and Cursor document. One place builds them, so the page and its tests agree.
 */
final class InstallLinks {

    static final String SCRIPT_PATH = "/install/" + InstallScriptController.SCRIPT_NAME;
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private InstallLinks() {
    }

    /** {@code curl -fsSL <issuer>/install/backlog-mcp.cjs | node - --url <url> --name <name>}: every detected agent. */
    static String installLine(String issuerBase, String url, String name) {
        return "curl -fsSL " + shellWord(issuerBase + SCRIPT_PATH) + " | node - --url " + shellWord(url) + " --name " + shellWord(name);
    }

    /**
     * VS Code's MCP URL handler: {@code vscode:mcp/install?} + the URI-component-encoded JSON that {@code code --add-mcp}
     * takes ({@code name} plus the server configuration).
     */
    static String vscodeLink(String name, String url) {
        return "vscode:mcp/install?" + encodeUriComponent(json("name", name, "type", "http", "url", url));
    }

    /**
     * Cursor's install link: {@code cursor://anysphere.cursor-deeplink/mcp/install?name=…&config=…}, the config being the
     * server's mcp.json entry, JSON then base64 (percent-encoded, so a {@code +} in it survives query decoding).
     */
    static String cursorLink(String name, String url) {
        String config = Base64.getEncoder().encodeToString(json("url", url).getBytes(StandardCharsets.UTF_8));
        return "cursor://anysphere.cursor-deeplink/mcp/install?name=" + encodeUriComponent(name) + "&config=" + encodeUriComponent(config);
    }

    /** JavaScript's encodeURIComponent, which both clients' documentation uses to build their links. */
    static String encodeUriComponent(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%21", "!").replace("%27", "'")
                .replace("%28", "(").replace("%29", ")").replace("%7E", "~");
    }

    /** A flat JSON object of string pairs, in order (keys and values are ours or URLs; escaped anyway). */
    private static String json(String... pairs) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < pairs.length; i += 2) {
            if (i > 0) {
                b.append(',');
            }
            b.append(quote(pairs[i])).append(':').append(quote(pairs[i + 1]));
        }
        return b.append('}').toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static String shellWord(String s) {
        return SHELL_SAFE.matcher(s).matches() ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
