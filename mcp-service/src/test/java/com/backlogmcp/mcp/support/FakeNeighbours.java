package com.backlogmcp.mcp.support;

import com.backlogmcp.contracts.servicetoken.ServiceNames;
import com.backlogmcp.contracts.servicetoken.ServiceTokens;
import com.backlogmcp.mcp.TestStack;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tiny stand-ins for auth-service (JWKS, introspection), backlog-service (authz, catalog, tools, resources,
 * prompts, completions) and audit-service (quota leases), speaking the agreed contracts on one
 * JDK HttpServer. Internal endpoints insist on a service credential addressed to the right service, so the
 * edge's credential filter is exercised too. State is mutable per test; {@link #reset()} restores the defaults.
 */
public final class FakeNeighbours {

    public static final String ISSUER = "https://auth.test";
    public static final String PUBLIC_URL = "https://mcp.test";
    public static final String PROJECT = "prj_acme";
    public static final String OTHER_PROJECT = "prj_hobby";
    public static final String OWNER = "usr_acme_owner";
    public static final String VIEWER = "usr_acme_viewer";
    /** The workspace of PROJECT, with two more projects: PROJECT_B and PROJECT_C. */
    public static final String WORKSPACE = "ws_acme";
    public static final String PROJECT_B = "prj_acme_b";
    public static final String PROJECT_C = "prj_acme_c";
    /** A member of PROJECT (member) and PROJECT_B (viewer), not of PROJECT_C. */
    public static final String TWO_PROJECT_USER = "usr_two";
    public static final String ALL_SCOPES = "backlog:read backlog:write comments:read comments:write announcements:read announcements:write";

    private static FakeNeighbours instance;

    private final HttpServer server;
    private final ObjectMapper json = ObjectMapper.getDefault();
    private final ServiceTokens serviceTokens = new ServiceTokens(TestStack.SERVICE_SECRET);
    private final ECKey signingKey;

    public final Map<String, Map<String, Object>> projects = new ConcurrentHashMap<>();
    public final Map<String, Map<String, String>> members = new ConcurrentHashMap<>();
    public final Map<String, Map<String, Object>> apiKeys = new ConcurrentHashMap<>();
    public final List<Map<String, Object>> toolCalls = Collections.synchronizedList(new ArrayList<>());
    /** Lease requests the edge made (a call spends from memory; only an empty counter asks). */
    public final AtomicInteger leaseRequests = new AtomicInteger();
    /** Live reads of a workspace's access ({@code GET /internal/workspaces/{id}/access}). */
    public final AtomicInteger workspaceAccessRequests = new AtomicInteger();
    /** Live authorization reads ({@code GET /internal/authz}). */
    public final AtomicInteger authzRequests = new AtomicInteger();
    /** Tool requests that reached backlog-service, whether its live checks then ran the tool or refused it. */
    public final AtomicInteger toolRequests = new AtomicInteger();
    /** When false, the fake backlog answers without its context, as a backlog-service that predates it would. */
    public volatile boolean toolAnswersWithContext;
    public final AtomicInteger jwksFetches = new AtomicInteger();
    public final AtomicInteger introspections = new AtomicInteger();
    /** Client ports seen: how many TCP connections the edge opened to its neighbours (pooling check). */
    public final java.util.Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    public volatile long dailyLimit;
    public volatile boolean rateLimited;
    public volatile long backlogDelayMs;
    public volatile long auditDelayMs;
    /** Audit events handed over by an edge ({@code POST /internal/audit-log/events}): event id → times received. */
    public final Map<String, AtomicInteger> handedOverEvents = new ConcurrentHashMap<>();
    /** When true, the audit hand-over answers 503 (audit-service in trouble). */
    public volatile boolean auditHandoffDown;
    /** Revoked credential ids in revocation order, as auth-service's {@code GET /internal/revocations} lists them. */
    private final List<String> revoked = Collections.synchronizedList(new ArrayList<>());
    /** When true, the revocation list answers 503 (auth-service in trouble). */
    public volatile boolean revocationsDown;
    public final AtomicInteger revocationPolls = new AtomicInteger();
    /** Introspection answers with this status (503: auth-service in trouble; the answer body is then an error). */
    public volatile int introspectionStatus;
    /** When set, an introspection takes its answer, counts itself, then waits here before replying (≤ 10 s). */
    public volatile java.util.concurrent.CountDownLatch introspectionGate;
    /** Per project: slots of today granted and not given back (spent, or held by an edge). */
    private final Map<String, AtomicInteger> usedToday = new ConcurrentHashMap<>();
    /** Daily blocks: id → {project, granted, unused as returned (-1 until returned)}. */
    private final Map<String, Object[]> dailyBlocks = new ConcurrentHashMap<>();

    private FakeNeighbours() throws Exception {
        signingKey = new ECKeyGenerator(Curve.P_256).keyID("test-key-1").generate();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-neighbours");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::route);
        server.start();
        reset();
    }

    public static synchronized FakeNeighbours get() {
        if (instance == null) {
            try {
                instance = new FakeNeighbours();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Test properties pointing the edge at these fakes. */
    public Map<String, String> properties() {
        Map<String, String> p = new HashMap<>();
        p.put("micronaut.http.services.backlog.url", url());
        p.put("micronaut.http.services.audit.url", url());
        p.put("micronaut.http.services.auth.url", url());
        p.put("backlogmcp.edge.auth-url", url());
        p.put("backlogmcp.edge.auth-issuer", ISSUER);
        p.put("backlogmcp.edge.public-url", PUBLIC_URL);
        p.put("backlogmcp.edge.allowed-origins", "https://app.example, http://localhost:6274");
        p.put("backlogmcp.edge.catalog-ttl", "1s");
        return p;
    }

    public void reset() {
        projects.clear();
        projects.put(PROJECT, project(PROJECT, "ws_acme", "business", true, false));
        projects.put(OTHER_PROJECT, project(OTHER_PROJECT, "ws_hobby", "free", true, false));
        members.clear();
        members.put(PROJECT, new ConcurrentHashMap<>(Map.of(OWNER, "owner", VIEWER, "viewer", "usr_acme_member", "member")));
        members.put(OTHER_PROJECT, new ConcurrentHashMap<>(Map.of("usr_hobby_owner", "owner")));
        projects.put(PROJECT_B, project(PROJECT_B, WORKSPACE, "business", true, false));
        projects.put(PROJECT_C, project(PROJECT_C, WORKSPACE, "business", true, false));
        members.get(PROJECT).put(TWO_PROJECT_USER, "member");
        members.put(PROJECT_B, new ConcurrentHashMap<>(Map.of(TWO_PROJECT_USER, "viewer", OWNER, "owner")));
        members.put(PROJECT_C, new ConcurrentHashMap<>(Map.of(OWNER, "owner")));
        workspaceAccessRequests.set(0);
        apiKeys.clear();
        toolCalls.clear();
        leaseRequests.set(0);
        toolRequests.set(0);
        authzRequests.set(0);
        toolAnswersWithContext = true;
        usedToday.clear();
        dailyBlocks.clear();
        dailyLimit = 3000;
        rateLimited = false;
        backlogDelayMs = 0;
        auditDelayMs = 0;
        handedOverEvents.clear();
        auditHandoffDown = false;
        revocationsDown = false;
        introspectionStatus = 200;
        introspectionGate = null;
    }

    public static Map<String, Object> project(String id, String workspaceId, String plan, boolean mcpEnabled, boolean suspended) {
        Map<String, Object> p = new ConcurrentHashMap<>();
        p.put("projectId", id);
        p.put("projectName", "Project " + id);
        p.put("workspaceId", workspaceId);
        p.put("workspaceName", "Workspace " + workspaceId);
        p.put("plan", plan);
        p.put("mcpEnabled", mcpEnabled);
        p.put("suspended", suspended);
        return p;
    }

    public void setWorkspace(String projectId, String key, Object value) {
        projects.get(projectId).put(key, value);
    }

    /** Sets a workspace flag or its plan, as every project of the workspace reads it. */
    public void setWorkspaceOf(String workspaceId, String key, Object value) {
        projects.values().stream().filter(p -> workspaceId.equals(p.get("workspaceId"))).forEach(p -> p.put(key, value));
    }

    /** An access token as auth-service issues it for the workspace endpoint of {@code workspaceId}. */
    public String workspaceToken(String userId, String workspaceId, String scope) {
        return token(userId, PUBLIC_URL + "/w/" + workspaceId + "/mcp", scope, "gid_" + UUID.randomUUID(),
                Instant.now().plus(15, ChronoUnit.MINUTES), signingKey);
    }

    // ---- tokens -------------------------------------------------------------------------------------------

    /** An access token as auth-service issues it, for {@code projectId}'s endpoint. */
    public String token(String userId, String projectId, String scope) {
        return token(userId, PUBLIC_URL + "/p/" + projectId + "/mcp", scope, "gid_" + UUID.randomUUID(), Instant.now().plus(15, ChronoUnit.MINUTES), signingKey);
    }

    public String token(String userId, String audience, String scope, String grantId, Instant expiry, ECKey key) {
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .issuer(ISSUER).subject(userId).audience(audience).claim("scope", scope)
                    .claim("client_id", "https://client.example/metadata.json").claim("gid", grantId)
                    .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(Instant.now().minusSeconds(5)))
                    .expirationTime(Date.from(expiry)).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                    .type(new JOSEObjectType("at+jwt")).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public ECKey signingKey() {
        return signingKey;
    }

    /** Registers an API key and the introspection answer auth-service would give for it. */
    public String apiKey(String userId, String scope, String projectId, String workspaceId) {
        String key = "bmcp_" + UUID.randomUUID().toString().replace("-", "");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("active", true);
        answer.put("sub", userId);
        answer.put("scope", scope);
        answer.put("token_type", "api_key");
        answer.put("key_id", "key_" + UUID.randomUUID());
        if (projectId != null) {
            answer.put("project_id", projectId);
        }
        if (workspaceId != null) {
            answer.put("workspace_id", workspaceId);
        }
        apiKeys.put(key, answer);
        return key;
    }

    // ---- routing ------------------------------------------------------------------------------------------

    private void route(HttpExchange ex) throws IOException {
        try {
            clientPorts.add(ex.getRemoteAddress().getPort());
            String path = ex.getRequestURI().getPath();
            if (path.equals("/oauth/jwks")) {
                jwksFetches.incrementAndGet();
                send(ex, 200, new JWKSet(signingKey.toPublicJWK()).toJSONObject());
                return;
            }
            String expectedAudience = path.equals("/oauth/introspect") || path.equals("/internal/revocations") ? ServiceNames.AUTH
                    : path.startsWith("/internal/quota") || path.startsWith("/internal/audit-log") ? ServiceNames.AUDIT
                    : ServiceNames.BACKLOG;
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String presented = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
            if (!serviceTokens.verify(presented, expectedAudience).filter(ServiceNames.MCP::equals).isPresent()) {
                send(ex, 401, Map.of("error", "unauthenticated"));
                return;
            }
            if (path.equals("/oauth/introspect")) {
                introspect(ex);
            } else if (path.equals("/internal/quota/leases")) {
                pause(auditDelayMs);
                lease(ex);
            } else if (path.equals("/internal/quota/leases/return")) {
                giveBack(ex);
            } else if (path.equals("/internal/audit-log/events")) {
                takeAuditEvents(ex);
            } else if (path.equals("/internal/revocations")) {
                listRevocations(ex);
            } else {
                pause(backlogDelayMs);
                backlog(ex, path);
            }
        } catch (RuntimeException e) {
            send(ex, 500, Map.of("error", e.toString()));
        } finally {
            ex.close();
        }
    }

    /** Revokes a grant or key id as auth-service would: it is listed by the revocation endpoint from now on. */
    public void revoke(String credentialId) {
        revoked.add(credentialId);
    }

    /** All or nothing per request, counted per event id, as audit-service's hand-over endpoint. */
    private void takeAuditEvents(HttpExchange ex) throws IOException {
        Map<String, Object> body = read(ex);
        if (auditHandoffDown) {
            send(ex, 503, Map.of("error", "unavailable"));
            return;
        }
        int stored = 0;
        int already = 0;
        for (Object e : (List<?>) body.get("events")) {
            String id = String.valueOf(((Map<?, ?>) e).get("eventId"));
            if (handedOverEvents.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet() == 1) {
                stored++;
            } else {
                already++;
            }
        }
        send(ex, 200, Map.of("stored", stored, "alreadyStored", already));
    }

    /** {@code ?after=<cursor>} or {@code ?since=<instant>}: the cursor here is the position in {@link #revoked}. */
    private void listRevocations(HttpExchange ex) throws IOException {
        revocationPolls.incrementAndGet();
        if (revocationsDown) {
            send(ex, 503, Map.of("error", "unavailable"));
            return;
        }
        String query = ex.getRequestURI().getRawQuery();
        long after = 0;
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (pair.startsWith("after=")) {
                after = Long.parseLong(pair.substring(6));
            }
        }
        List<Map<String, Object>> page = new ArrayList<>();
        List<String> all;
        synchronized (revoked) {
            all = List.copyOf(revoked);
        }
        for (int i = (int) after; i < all.size(); i++) {
            page.add(Map.of("credentialId", all.get(i), "at", Instant.now().toString()));
        }
        send(ex, 200, Map.of("revocations", page, "next", all.size(), "more", false));
    }

    private void introspect(HttpExchange ex) throws IOException {
        String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String token = null;
        for (String pair : form.split("&")) {
            if (pair.startsWith("token=")) {
                token = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
            }
        }
        Map<String, Object> known = token == null ? null : apiKeys.get(token);
        // The answer is decided now, as auth-service would: a revocation after this point does not change it.
        Map<String, Object> answer = known == null ? Map.of("active", false) : new LinkedHashMap<>(known);
        int status = introspectionStatus;
        introspections.incrementAndGet();
        java.util.concurrent.CountDownLatch gate = introspectionGate;
        if (gate != null) {
            try {
                gate.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        send(ex, status, status == 200 ? answer : Map.of("error", "temporarily_unavailable"));
    }

    /**
     * The ledger's rule: never more than limit − (spent + held); blocks shrink near the limit (an eighth of what
     * is left, at least one), so the limit stays exact however many edges ask.
     */
    private synchronized void lease(HttpExchange ex) throws IOException {
        Map<String, Object> req = read(ex);
        leaseRequests.incrementAndGet();
        Instant now = Instant.now();
        Instant tomorrow = now.truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS);
        Instant nextMinute = now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        Map<String, Object> answer = new LinkedHashMap<>();
        int rateWanted = ((Number) req.get("rateWanted")).intValue();
        int dailyWanted = ((Number) req.get("dailyWanted")).intValue();
        if (rateWanted > 0) {
            int granted = rateLimited ? 0 : rateWanted;
            answer.put("rate", block("rb_" + UUID.randomUUID(), granted, 600, rateLimited ? 0 : 600 - granted, nextMinute, nextMinute));
        }
        if (dailyWanted > 0) {
            String project = String.valueOf(req.get("projectId"));
            AtomicInteger used = usedToday.computeIfAbsent(project, k -> new AtomicInteger());
            long left = Math.max(0, dailyLimit - used.get());
            int granted = (int) Math.min(dailyWanted, left == 0 ? 0 : Math.max(1, left / 8));
            used.addAndGet(granted);
            String id = "db_" + UUID.randomUUID();
            if (granted > 0) {
                dailyBlocks.put(id, new Object[]{project, granted, -1});
            }
            answer.put("daily", block(id, granted, dailyLimit, dailyLimit - used.get(), tomorrow, now.plusSeconds(30)));
        }
        send(ex, 200, answer);
    }

    private static Map<String, Object> block(String id, int granted, long limit, long remaining, Instant resets, Instant expires) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("blockId", id);
        b.put("granted", granted);
        b.put("limit", limit);
        b.put("remaining", remaining);
        b.put("resetsAt", resets.toString());
        b.put("expiresAt", expires.toString());
        return b;
    }

    @SuppressWarnings("unchecked")
    private synchronized void giveBack(HttpExchange ex) throws IOException {
        Map<String, Object> req = read(ex);
        for (Map<String, Object> b : (List<Map<String, Object>>) req.get("blocks")) {
            Object[] known = dailyBlocks.get(String.valueOf(b.get("blockId")));
            int unused = ((Number) b.get("unused")).intValue();
            if (known != null && (int) known[2] < 0) {
                known[2] = unused;
                usedToday.get((String) known[0]).addAndGet(-unused);
            }
        }
        ex.sendResponseHeaders(204, -1);
    }

    /** Starts counting spent quota afresh (the edges must have given their blocks back first). */
    public synchronized void forgetQuota() {
        usedToday.clear();
        dailyBlocks.clear();
    }

    /**
     * Daily slots the edges spent, once they gave their blocks back (call the edge's {@code QuotaLeases.returnAll()}
     * first): what every block granted less what came back unused.
     */
    public synchronized int quotaSpent() {
        int spent = 0;
        for (Object[] b : dailyBlocks.values()) {
            spent += (int) b[1] - Math.max(0, (int) b[2]);
        }
        return spent;
    }

    /** As {@link #quotaSpent()}, of the daily counter of {@code key} alone (a project, or a workspace's own). */
    public synchronized int quotaSpent(String key) {
        int spent = 0;
        for (Object[] b : dailyBlocks.values()) {
            if (key.equals(b[0])) {
                spent += (int) b[1] - Math.max(0, (int) b[2]);
            }
        }
        return spent;
    }

    private void backlog(HttpExchange ex, String path) throws IOException {
        if (path.equals("/internal/authz")) {
            authzRequests.incrementAndGet();
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            Map<String, Object> project = projects.get(q.get("projectId"));
            if (project == null) {
                send(ex, 404, Map.of("error", "not_found"));
                return;
            }
            Map<String, Object> ctx = new LinkedHashMap<>(project);
            ctx.put("role", members.getOrDefault(q.get("projectId"), Map.of()).get(q.get("userId")));
            send(ex, 200, ctx);
        } else if (path.equals("/internal/catalog")) {
            boolean workspaceView = "workspace".equals(query(ex.getRequestURI().getRawQuery()).get("view"));
            send(ex, 200, workspaceView ? FakeCatalog.workspaceCatalog() : FakeCatalog.catalog());
        } else if (path.startsWith("/internal/workspaces/") && path.endsWith("/access")) {
            workspaceAccessRequests.incrementAndGet();
            String workspaceId = path.substring("/internal/workspaces/".length(), path.length() - "/access".length());
            Map<String, Object> access = workspaceAccess(workspaceId, query(ex.getRequestURI().getRawQuery()).get("userId"));
            send(ex, access == null ? 404 : 200, access == null ? Map.of("error", "not_found") : access);
        } else if (path.startsWith("/internal/tools/")) {
            String name = path.substring("/internal/tools/".length());
            Map<String, Object> req = read(ex);
            boolean onWorkspace = req.get("workspaceId") != null;
            if (onWorkspace ? !FakeCatalog.knowsInWorkspace(name) : FakeCatalog.TOOLS.stream().noneMatch(t -> t.get("name").equals(name))) {
                send(ex, 404, Map.of("error", "not_found"));
                return;
            }
            toolRequests.incrementAndGet();
            if (onWorkspace && req.get("projectId") == null) {
                acrossWorkspace(ex, name, req);
                return;
            }
            if (onWorkspace && (projects.get(String.valueOf(req.get("projectId"))) == null
                    || !req.get("workspaceId").equals(projects.get(String.valueOf(req.get("projectId"))).get("workspaceId")))) {
                // backlog-service binds the project to the workspace before its live checks: not found, no context.
                send(ex, 200, Map.of("isError", true, "structuredContent",
                        Map.of("error_type", "NOT_FOUND", "message", "No project in this workspace", "hint", "Call list_projects")));
                return;
            }
            Map<String, Object> context = context(String.valueOf(req.get("projectId")), String.valueOf(req.get("userId")));
            String refusal = admission(name, context, req.get("requires"));
            if (refusal != null) {
                // backlog-service's live checks: nothing runs, the answer says why and carries the context.
                Map<String, Object> refused = new LinkedHashMap<>();
                refused.put("isError", true);
                refused.put("structuredContent", Map.of("error_type", refusal, "message", "refused: " + refusal, "hint", "-"));
                if (toolAnswersWithContext) {
                    refused.put("authz", context);
                    refused.put("admitted", false);
                }
                send(ex, 200, refused);
                return;
            }
            Map<String, Object> record = new LinkedHashMap<>(req);
            record.put("tool", name);
            toolCalls.add(record);
            Object args = req.get("arguments");
            Map<String, Object> answer = new LinkedHashMap<>();
            if (args instanceof Map<?, ?> a && "itm_foreign".equals(a.get("id"))) {
                answer.put("isError", true);
                answer.put("structuredContent",
                        Map.of("error_type", "NOT_FOUND", "message", "No item itm_foreign in this project", "hint", "Check the id"));
            } else {
                answer.put("isError", false);
                answer.put("structuredContent", Map.of("tool", name, "projectId", req.get("projectId"), "actingUser", req.get("userId"),
                        "arguments", args == null ? Map.of() : args));
            }
            if (toolAnswersWithContext) {
                answer.put("authz", context);
                answer.put("admitted", true);
            }
            send(ex, 200, answer);
        } else if (path.equals("/internal/resources/read")) {
            Map<String, Object> req = read(ex);
            String uri = String.valueOf(req.get("uri"));
            if (uri.contains("itm_missing")) {
                send(ex, 404, Map.of("error", "not_found"));
                return;
            }
            send(ex, 200, Map.of("contents", List.of(Map.of("uri", uri, "mimeType", "application/json", "text", "{\"uri\":\"" + uri + "\"}"))));
        } else if (path.startsWith("/internal/prompts/")) {
            Map<String, Object> req = read(ex);
            send(ex, 200, Map.of("description", "Summary", "messages",
                    List.of(Map.of("role", "user", "content", Map.of("type", "text", "text", "Summarise " + req.get("projectId"))))));
        } else if (path.equals("/internal/completions")) {
            Map<String, Object> req = read(ex);
            Object value = req.get("argument") instanceof Map<?, ?> a ? a.get("value") : "";
            send(ex, 200, Map.of("values", List.of(value + "-one", value + "-two"), "total", 2, "hasMore", false));
        } else {
            send(ex, 404, Map.of("error", "not_found"));
        }
    }

    /** backlog-service's workspace access answer: flags of the workspace, the user's projects in it with role. */
    private Map<String, Object> workspaceAccess(String workspaceId, String userId) {
        List<Map<String, Object>> inWorkspace = projects.values().stream()
                .filter(p -> workspaceId.equals(p.get("workspaceId")))
                .sorted(java.util.Comparator.comparing(p -> String.valueOf(p.get("projectId")))).toList();
        if (inWorkspace.isEmpty()) {
            return null;
        }
        Map<String, Object> first = inWorkspace.get(0);
        Map<String, Object> access = new LinkedHashMap<>();
        access.put("workspaceId", workspaceId);
        access.put("workspaceName", first.get("workspaceName"));
        access.put("plan", first.get("plan"));
        access.put("mcpEnabled", first.get("mcpEnabled"));
        access.put("suspended", first.get("suspended"));
        List<Map<String, Object>> mine = new ArrayList<>();
        for (Map<String, Object> p : inWorkspace) {
            String role = members.getOrDefault(String.valueOf(p.get("projectId")), Map.of()).get(userId);
            if (role != null) {
                mine.add(Map.of("projectId", p.get("projectId"), "projectName", p.get("projectName"), "role", role));
            }
        }
        access.put("projects", mine);
        return access;
    }

    /**
     * A call across a workspace, as backlog-service runs it: refused when the workspace does not exist or the live
     * checks fail on its access (the project rules with the best role the user holds in any of its projects);
     * list_projects answers the user's projects, search one hit per project where the role suffices. The answer
     * carries the access it was decided on (unless {@link #toolAnswersWithContext} is off).
     */
    private void acrossWorkspace(HttpExchange ex, String name, Map<String, Object> req) throws IOException {
        Map<String, Object> access = workspaceAccess(String.valueOf(req.get("workspaceId")), String.valueOf(req.get("userId")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> mine = access == null ? List.of() : (List<Map<String, Object>>) access.get("projects");
        String refusal;
        if (access == null) {
            refusal = "NOT_FOUND";
        } else {
            Map<String, Object> asOneProject = new LinkedHashMap<>(access);
            asOneProject.put("role", mine.stream().map(p -> com.backlogmcp.contracts.vocabulary.Role.fromWire((String) p.get("role")).orElseThrow())
                    .max(java.util.Comparator.naturalOrder()).map(com.backlogmcp.contracts.vocabulary.Role::wire).orElse(null));
            refusal = admission(name, asOneProject, req.get("requires"));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        if (refusal != null) {
            answer.put("isError", true);
            answer.put("structuredContent", Map.of("error_type", refusal, "message", "refused: " + refusal, "hint", "-"));
        } else {
            Map<String, Object> record = new LinkedHashMap<>(req);
            record.put("tool", name);
            toolCalls.add(record);
            Map<String, Object> content = new LinkedHashMap<>();
            if (name.equals("search")) {
                content.put("hits", mine.stream().map(p -> Map.of("projectId", p.get("projectId"), "id", "itm_" + p.get("projectId"))).toList());
            } else {
                content.put("projects", mine.stream().map(p -> Map.of("id", p.get("projectId"), "role", p.get("role"))).toList());
            }
            answer.put("isError", false);
            answer.put("structuredContent", content);
        }
        if (toolAnswersWithContext) {
            answer.put("workspace", access);
            answer.put("admitted", refusal == null);
        }
        send(ex, 200, answer);
    }

    /** The live context of (project, user), as backlog-service's authz query reads it; null: no such project. */
    private Map<String, Object> context(String projectId, String userId) {
        Map<String, Object> project = projects.get(projectId);
        if (project == null) {
            return null;
        }
        Map<String, Object> ctx = new LinkedHashMap<>(project);
        ctx.put("role", members.getOrDefault(projectId, Map.of()).get(userId));
        return ctx;
    }

    /** backlog-service's admission: the stricter of the catalog's and the request's requirements; null admits. */
    private static String admission(String tool, Map<String, Object> ctx, Object requires) {
        if (ctx == null) {
            return "NOT_FOUND";
        }
        Map<String, Object> definition = java.util.stream.Stream.concat(FakeCatalog.TOOLS.stream(), FakeCatalog.WORKSPACE_TOOLS.stream())
                .filter(t -> t.get("name").equals(tool)).findFirst().orElseThrow();
        com.backlogmcp.contracts.vocabulary.Role minRole = com.backlogmcp.contracts.vocabulary.Role.fromWire((String) definition.get("minRole")).orElseThrow();
        boolean write = Boolean.TRUE.equals(definition.get("write"));
        if (requires instanceof Map<?, ?> r) {
            var asked = com.backlogmcp.contracts.vocabulary.Role.fromWire((String) r.get("minRole")).orElse(com.backlogmcp.contracts.vocabulary.Role.OWNER);
            minRole = asked.atLeast(minRole) ? asked : minRole;
            write = write || Boolean.TRUE.equals(r.get("write"));
        }
        var role = com.backlogmcp.contracts.vocabulary.Role.fromWire((String) ctx.get("role"));
        if (role.isEmpty()) {
            return "NOT_A_MEMBER";
        }
        if (Boolean.TRUE.equals(ctx.get("suspended"))) {
            return "WORKSPACE_SUSPENDED";
        }
        if (!Boolean.TRUE.equals(ctx.get("mcpEnabled"))) {
            return "MCP_DISABLED";
        }
        if (write && !com.backlogmcp.contracts.vocabulary.Plan.fromWire((String) ctx.get("plan")).map(com.backlogmcp.contracts.vocabulary.Plan::allowsWrites).orElse(false)) {
            return "PLAN_READ_ONLY";
        }
        return role.get().atLeast(minRole) ? null : "FORBIDDEN";
    }

    private static void pause(long ms) {
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> read(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        return body.length == 0 ? Map.of() : json.readValue(body, Map.class);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    private void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
