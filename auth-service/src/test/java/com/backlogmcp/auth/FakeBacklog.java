package com.backlogmcp.auth;

import com.backlogmcp.contracts.demo.DemoFixture;
import com.backlogmcp.contracts.servicetoken.ServiceNames;
import com.backlogmcp.contracts.servicetoken.ServiceTokens;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tiny stand-in for backlog-service speaking the agreed internal contract: {@code GET /internal/authz},
 * {@code GET /internal/users/{id}/projects}, {@code GET/PATCH /internal/admin/workspaces}, the invitation endpoints (lookup, claim, sent, revoke). It insists on a service
 * credential from auth-service, as the real one does. Tests here are about that boundary. It also answers
 * audit-service's {@code GET /internal/usage/last-used} (the other neighbour the account pages read), which can be
 * switched to failing with {@link #auditDown}.
 */
public final class FakeBacklog implements AutoCloseable {

    public record Workspace(String id, String name, String plan, boolean mcpEnabled, boolean suspended) {
    }

    public record Project(String id, String name, String workspaceId) {
    }

    public final Map<String, Workspace> workspaces = new ConcurrentHashMap<>();
    public final Map<String, Project> projects = new ConcurrentHashMap<>();
    /** projectId → (userId → role) */
    public final Map<String, Map<String, String>> members = new ConcurrentHashMap<>();
    public final List<String> adminPatches = new ArrayList<>();
    public final List<String> adminActingUsers = new ArrayList<>();
    public final Map<String, String> lastUsed = new ConcurrentHashMap<>();
    public volatile boolean auditDown;
    /** audit-service's usage series: calls per id per day (oldest first) and today's quota counters per project. */
    public final Map<String, List<Long>> series = new ConcurrentHashMap<>();
    public final Map<String, Long> quotaToday = new ConcurrentHashMap<>();
    /** audit-service's audit log: the raw queries asked and the page answered; a filter tool=bad answers 400. */
    public final List<String> auditLogQueries = java.util.Collections.synchronizedList(new ArrayList<>());
    public volatile String auditLogPage = "{\"entries\":[],\"nextCursor\":null}";
    /** An invitation by email, keyed by its link's token in {@link #invitations}. */
    public record Invitation(String id, String projectId, String email, String role, String invitedBy) {
    }

    public final Map<String, Invitation> invitations = new ConcurrentHashMap<>();
    public final Map<String, Invitation> acceptedInvitations = new ConcurrentHashMap<>();
    /** "userId email" of every claim auth-service made. */
    public final List<String> claims = java.util.Collections.synchronizedList(new ArrayList<>());
    private final HttpServer server;
    private final ServiceTokens tokens = new ServiceTokens(TestStack.SERVICE_SECRET);

    public FakeBacklog() throws IOException {
        for (DemoFixture.DemoProject p : DemoFixture.PROJECTS) {
            workspaces.put(p.workspaceId(), new Workspace(p.workspaceId(), p.workspaceName(), p.plan(), p.mcpEnabled(), false));
            projects.put(p.projectId(), new Project(p.projectId(), p.projectName(), p.workspaceId()));
        }
        workspaces.put("ws_frozen", new Workspace("ws_frozen", "Frozen", "business", true, true));
        projects.put("prj_frozen", new Project("prj_frozen", "Frozen Project", "ws_frozen"));
        for (DemoFixture.DemoMembership m : DemoFixture.MEMBERSHIPS) {
            members.computeIfAbsent(m.projectId(), k -> new ConcurrentHashMap<>()).put(m.userId(), m.role());
        }
        members.computeIfAbsent("prj_frozen", k -> new ConcurrentHashMap<>()).put(DemoFixture.ACME_OWNER.id(), "owner");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/internal/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String self = path.startsWith("/internal/usage/") || path.startsWith("/internal/audit-log") ? ServiceNames.AUDIT : ServiceNames.BACKLOG;
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String caller = auth == null ? null : tokens.verify(auth.replaceFirst("^Bearer ", ""), self).orElse(null);
            if (!ServiceNames.AUTH.equals(caller)) {
                send(ex, 401, "{\"error\":\"unauthenticated\"}");
                return;
            }
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            if (path.equals("/internal/usage/last-used")) {
                if (auditDown) {
                    send(ex, 503, "{\"error\":\"unavailable\"}");
                    return;
                }
                List<String> out = new ArrayList<>();
                for (String id : q.getOrDefault("credentialIds", "").split(",")) {
                    if (lastUsed.containsKey(id)) {
                        out.add("\"" + id + "\":\"" + lastUsed.get(id) + "\"");
                    }
                }
                send(ex, 200, "{\"lastUsed\":{" + String.join(",", out) + "}}");
            } else if (path.equals("/internal/usage/series")) {
                if (auditDown) {
                    send(ex, 503, "{\"error\":\"unavailable\"}");
                    return;
                }
                int days = Integer.parseInt(q.getOrDefault("days", "14"));
                java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
                List<String> calls = new ArrayList<>();
                List<String> quota = new ArrayList<>();
                for (String id : q.getOrDefault("ids", "").split(",")) {
                    List<Long> perDay = series.getOrDefault(id, java.util.Collections.nCopies(days, 0L));
                    calls.add("\"" + id + "\":" + perDay);
                    if ("project".equals(q.get("by")) && quotaToday.containsKey(id)) {
                        quota.add("\"" + id + "\":" + quotaToday.get(id));
                    }
                }
                send(ex, 200, "{\"by\":\"" + q.get("by") + "\",\"from\":\"" + today.minusDays(days - 1L) + "\",\"to\":\"" + today
                        + "\",\"calls\":{" + String.join(",", calls).replace(" ", "") + "},\"quotaUsedToday\":{" + String.join(",", quota)
                        + "},\"dailyLimits\":{\"free\":25,\"pro\":300,\"business\":3000,\"enterprise\":-1}}");
            } else if (path.equals("/internal/audit-log")) {
                auditLogQueries.add(ex.getRequestURI().getRawQuery());
                if (auditDown) {
                    send(ex, 503, "{\"error\":\"unavailable\"}");
                } else if ("bad".equals(q.get("tool"))) {
                    send(ex, 400, "{\"error\":\"invalid_request\",\"message\":\"tool is not a valid identifier\"}");
                } else {
                    send(ex, 200, auditLogPage);
                }
            } else if (path.equals("/internal/authz")) {
                Project p = projects.get(q.get("projectId"));
                if (p == null) {
                    send(ex, 404, "{\"error\":\"not_found\"}");
                    return;
                }
                Workspace w = workspaces.get(p.workspaceId());
                String role = q.get("userId") == null ? null : members.getOrDefault(p.id(), Map.of()).get(q.get("userId"));
                send(ex, 200, "{\"projectId\":\"" + p.id() + "\",\"projectName\":\"" + p.name() + "\",\"workspaceId\":\"" + w.id()
                        + "\",\"workspaceName\":\"" + w.name() + "\",\"plan\":\"" + w.plan() + "\",\"mcpEnabled\":" + w.mcpEnabled()
                        + ",\"suspended\":" + w.suspended() + ",\"role\":" + (role == null ? "null" : "\"" + role + "\"") + "}");
            } else if (path.startsWith("/internal/invitations") || (path.startsWith("/internal/users/") && path.endsWith("/invitations"))) {
                invitationsApi(ex, path);
            } else if (path.startsWith("/internal/users/") && path.endsWith("/projects")) {
                String userId = path.substring("/internal/users/".length(), path.length() - "/projects".length());
                List<String> out = new ArrayList<>();
                members.forEach((pid, roles) -> {
                    if (roles.containsKey(userId)) {
                        Project p = projects.get(pid);
                        out.add("{\"projectId\":\"" + pid + "\",\"projectName\":\"" + p.name() + "\",\"workspaceId\":\"" + p.workspaceId()
                                + "\",\"plan\":\"" + workspaces.get(p.workspaceId()).plan() + "\",\"role\":\"" + roles.get(userId) + "\"}");
                    }
                });
                send(ex, 200, "[" + String.join(",", out) + "]");
            } else if (path.startsWith("/internal/admin/workspaces")) {
                if (!"true".equals(ex.getRequestHeaders().getFirst("X-Acting-Platform-Admin")) || ex.getRequestHeaders().getFirst("X-Acting-User-Id") == null) {
                    send(ex, 403, "{\"error\":\"forbidden\"}");
                    return;
                }
                adminActingUsers.add(ex.getRequestHeaders().getFirst("X-Acting-User-Id"));
                if ("PATCH".equals(ex.getRequestMethod())) {
                    String id = path.substring("/internal/admin/workspaces/".length());
                    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    adminPatches.add(id + " " + body);
                    Workspace w = workspaces.get(id);
                    if (w == null) {
                        send(ex, 404, "{\"error\":\"not_found\"}");
                        return;
                    }
                    Workspace u = new Workspace(w.id(), w.name(),
                            body.contains("\"plan\"") ? body.replaceAll(".*\"plan\"\\s*:\\s*\"([a-z]+)\".*", "$1") : w.plan(),
                            body.contains("\"mcpEnabled\"") ? body.matches(".*\"mcpEnabled\"\\s*:\\s*true.*") : w.mcpEnabled(),
                            body.contains("\"suspended\"") ? body.matches(".*\"suspended\"\\s*:\\s*true.*") : w.suspended());
                    workspaces.put(id, u);
                    send(ex, 200, json(u));
                } else {
                    List<String> out = new ArrayList<>();
                    workspaces.values().forEach(w -> out.add(json(w)));
                    send(ex, 200, "[" + String.join(",", out) + "]");
                }
            } else {
                send(ex, 404, "{\"error\":\"not_found\"}");
            }
        }
    }

    private void invitationsApi(HttpExchange ex, String path) throws IOException {
        Map<String, Object> body;
        try {
            String raw = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            body = raw.isBlank() ? Map.of() : com.nimbusds.oauth2.sdk.util.JSONObjectUtils.parse(raw);
        } catch (Exception e) {
            send(ex, 400, "{\"error\":\"invalid_json\"}");
            return;
        }
        if (path.equals("/internal/invitations/lookup")) {
            Invitation i = invitations.get((String) body.get("token"));
            send(ex, i == null ? 404 : 200, i == null ? "{\"error\":\"not_found\"}" : "{\"invitation\":" + json(i) + "}");
        } else if (path.equals("/internal/invitations/claim")) {
            claims.add(body.get("userId") + " " + body.get("email"));
            List<String> joined = new ArrayList<>();
            synchronized (invitations) {
                invitations.entrySet().removeIf(e -> {
                    if (e.getValue().email().equals(body.get("email"))) {
                        acceptedInvitations.put(e.getKey(), e.getValue());
                        members.computeIfAbsent(e.getValue().projectId(), k -> new ConcurrentHashMap<>())
                                .put((String) body.get("userId"), e.getValue().role());
                        joined.add("{\"projectId\":\"" + e.getValue().projectId() + "\"}");
                        return true;
                    }
                    return false;
                });
            }
            send(ex, 200, "{\"joined\":[" + String.join(",", joined) + "]}");
        } else if (path.endsWith("/revoke")) {
            String id = path.substring("/internal/invitations/".length(), path.length() - "/revoke".length());
            boolean removed = invitations.values().removeIf(i -> i.id().equals(id) && i.invitedBy().equals(body.get("userId")));
            send(ex, removed ? 204 : 404, removed ? "" : "{\"error\":\"not_found\"}");
        } else {
            String userId = path.substring("/internal/users/".length(), path.length() - "/invitations".length());
            List<String> out = new ArrayList<>();
            invitations.values().stream().filter(i -> i.invitedBy().equals(userId)).forEach(i -> out.add(json(i)));
            send(ex, 200, "{\"invitations\":[" + String.join(",", out) + "]}");
        }
    }

    private String json(Invitation i) {
        Project p = projects.get(i.projectId());
        return "{\"id\":\"" + i.id() + "\",\"projectId\":\"" + i.projectId() + "\",\"projectName\":{\"untrusted\":true,\"text\":\""
                + p.name() + "\"},\"workspaceName\":{\"untrusted\":true,\"text\":\"" + workspaces.get(p.workspaceId()).name()
                + "\"},\"email\":\"" + i.email() + "\",\"role\":\"" + i.role() + "\",\"status\":\"pending\",\"invitedBy\":\""
                + i.invitedBy() + "\",\"expiresAt\":\"2099-01-01T00:00:00Z\"}";
    }

    private static String json(Workspace w) {
        return "{\"workspaceId\":\"" + w.id() + "\",\"name\":\"" + w.name() + "\",\"plan\":\"" + w.plan() + "\",\"mcpEnabled\":" + w.mcpEnabled() + ",\"suspended\":" + w.suspended() + "}";
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int i = pair.indexOf('=');
                if (i > 0) {
                    m.put(URLDecoder.decode(pair.substring(0, i), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(i + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return m;
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
