package com.backlogmcp.auth.connect;

import com.backlogmcp.auth.Browser;
import com.backlogmcp.auth.FakeBacklog;
import com.backlogmcp.auth.TestStack;
import com.backlogmcp.contracts.demo.DemoFixture;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The installer as users get it: its node test suite (every agent against temporary homes and projects), the script
 * served by auth-service, the exact command line of the connect page run through a shell, and the VS Code and Cursor
 * install links decoded the way each client's documentation builds them.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstallScriptTest implements TestPropertyProvider {

    private static final Path MODULE = Path.of("").toAbsolutePath();
    private FakeBacklog backlog;
    private String base;

    @Override
    public Map<String, String> getProperties() {
        try {
            backlog = new FakeBacklog();
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            base = "http://localhost:" + port;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> p = new HashMap<>(TestStack.properties());
        // The issuer is this server itself, so the page's command line downloads the script from it, as in production.
        p.put("micronaut.server.port", base.substring(base.lastIndexOf(':') + 1));
        p.put("backlogmcp.auth.issuer", base);
        p.put("micronaut.http.services.backlog.url", backlog.url());
        p.put("micronaut.http.services.audit.url", backlog.url());
        p.put("backlogmcp.auth.seed-demo-data", "true");
        return p;
    }

    @AfterAll
    void stop() {
        backlog.close();
    }

    @Test
    void nodeSuiteWhenRunThenEveryAgentCasePasses() throws Exception {
        Path tmp = Files.createDirectories(MODULE.resolve("target/tmp/install-tests"));
        Process p = new ProcessBuilder("node", "--test", "src/test/node/")
                .directory(MODULE.toFile()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("node-test.log").toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "node --test finished");
        String log = Files.readString(tmp.resolve("node-test.log"));
        assertEquals(0, p.exitValue(), log);
        Matcher pass = Pattern.compile("# pass (\\d+)").matcher(log);
        assertTrue(pass.find() && Integer.parseInt(pass.group(1)) >= 50, log);
        assertTrue(log.contains("# fail 0"), log);
    }

    @Test
    void scriptWhenFetchedThenServedAsJavaScriptByteForByte() throws Exception {
        HttpResponse<String> r = new Browser(base).get(InstallLinks.SCRIPT_PATH);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertEquals(Files.readString(MODULE.resolve("src/main/resources/install/backlog-mcp.cjs")), r.body());
    }

    @Test
    void connectPageLineWhenRunInAShellThenWritesTheAgentsFiles() throws Exception {
        String page = connectPage();
        String line = unescape(between(page, "id=\"install-prj_hobby\">", "</code>"));
        assertEquals("curl -fsSL " + base + "/install/backlog-mcp.cjs | node - --url http://mcp.test/p/prj_hobby/mcp --name backlog-prj_hobby", line);
        Path root = Files.createTempDirectory(Files.createDirectories(MODULE.resolve("target/tmp")), "line-");
        Path home = Files.createDirectories(root.resolve("home"));
        Path project = Files.createDirectories(root.resolve("project"));
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -o pipefail; " + line + " --agent cursor,codex-cli")
                .directory(project.toFile()).redirectErrorStream(true);
        pb.environment().put("HOME", home.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("verify: codex mcp login backlog-prj_hobby"), out);
        JSONObject cursor = JSONObjectUtils.parse(Files.readString(project.resolve(".cursor/mcp.json")));
        assertEquals(Map.of("url", "http://mcp.test/p/prj_hobby/mcp"),
                ((Map<?, ?>) ((Map<?, ?>) cursor.get("mcpServers")).get("backlog-prj_hobby")));
        assertEquals("[mcp_servers.backlog-prj_hobby]\nurl = \"http://mcp.test/p/prj_hobby/mcp\"\n",
                Files.readString(project.resolve(".codex/config.toml")));
    }

    @Test
    void vscodeLinkWhenDecodedAsDocumentedThenNamesTheHttpServer() throws Exception {
        String link = unescape(attribute(connectPage(), "vscode"));
        String prefix = "vscode:mcp/install?";
        assertTrue(link.startsWith(prefix), link);
        String query = link.substring(prefix.length());
        // encodeURIComponent output: nothing outside its unreserved set is left unencoded
        assertTrue(query.matches("[A-Za-z0-9%\\-_.!~*'()]+"), query);
        JSONObject config = JSONObjectUtils.parse(URLDecoder.decode(query, StandardCharsets.UTF_8));
        assertEquals(Map.of("name", "backlog-prj_hobby", "type", "http", "url", "http://mcp.test/p/prj_hobby/mcp"), config);
    }

    @Test
    void cursorLinkWhenDecodedAsDocumentedThenCarriesTheMcpJsonEntry() throws Exception {
        String link = unescape(attribute(connectPage(), "cursor"));
        URI uri = URI.create(link);
        assertEquals("cursor", uri.getScheme());
        assertEquals("anysphere.cursor-deeplink", uri.getHost());
        assertEquals("/mcp/install", uri.getPath());
        Map<String, String> q = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            q.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        assertEquals(List.of("config", "name"), q.keySet().stream().sorted().toList());
        assertEquals("backlog-prj_hobby", q.get("name"));
        String json = new String(Base64.getDecoder().decode(q.get("config")), StandardCharsets.UTF_8);
        assertEquals(Map.of("url", "http://mcp.test/p/prj_hobby/mcp"), JSONObjectUtils.parse(json));
    }

    @Test
    void linksWhenValuesNeedEscapingThenStillDecodeToTheSameConfig() throws Exception {
        String url = "https://h.example/p/a b+c/mcp?read_only=1&x=\"y\"";
        String vscode = InstallLinks.vscodeLink("n", url);
        JSONObject config = JSONObjectUtils.parse(URLDecoder.decode(vscode.substring("vscode:mcp/install?".length()), StandardCharsets.UTF_8));
        assertEquals(url, config.get("url"));
        String cursor = InstallLinks.cursorLink("n", url);
        String encoded = URLDecoder.decode(cursor.substring(cursor.indexOf("config=") + 7), StandardCharsets.UTF_8);
        assertEquals(url, JSONObjectUtils.parse(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8)).get("url"));
        assertEquals("curl -fsSL https://i/install/backlog-mcp.cjs | node - --url 'https://h/p/x/mcp?a=1&b=2' --name n",
                InstallLinks.installLine("https://i", "https://h/p/x/mcp?a=1&b=2", "n"));
    }

    private String connectPage() throws Exception {
        Browser b = new Browser(base);
        b.login(DemoFixture.HOBBY_OWNER.email(), "demo-owner", null);
        HttpResponse<String> page = b.get("/account/connect");
        assertEquals(200, page.statusCode(), page.body());
        return page.body();
    }

    private static String attribute(String page, String install) {
        Matcher m = Pattern.compile("href=\"([^\"]*)\" data-install=\"" + install + "\"").matcher(page);
        assertTrue(m.find(), "page has the " + install + " link");
        return m.group(1);
    }

    private static String between(String s, String from, String to) {
        int a = s.indexOf(from);
        assertTrue(a >= 0, "page has " + from);
        int b = s.indexOf(to, a + from.length());
        return s.substring(a + from.length(), b);
    }

    private static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
