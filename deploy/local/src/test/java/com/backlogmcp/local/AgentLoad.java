package com.backlogmcp.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Agents calling the edge over plain HTTP (stateless Streamable HTTP POSTs, as a 2025-06-18 client sends them)
 * for as long as a scenario lasts. Every call is a {@code create_item} whose title and {@code X-Request-Id} carry
 * a marker unique to that call, so the test can read back whether it changed the backlog and whether the audit
 * log holds it; each answer is sorted into one {@link Kind}.
 */
final class AgentLoad implements AutoCloseable {

    /** How long an agent waits for an answer before it counts the call as hung. */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RETRYABLE = Set.of("UPSTREAM_UNAVAILABLE", "RATE_LIMITED");

    enum Kind {
        /** a tool result without isError: the call ran */
        OK,
        /** a JSON-RPC error or tool error whose error_type tells the agent to retry */
        RETRYABLE,
        /** the connection was refused or reset: the agent sees the server is away and retries */
        UNREACHABLE,
        /** no answer within {@link #CLIENT_TIMEOUT} */
        HUNG,
        /** anything else: a 5xx without a JSON-RPC error, an error type that is not retryable, a body that is not JSON */
        BROKEN
    }

    record Call(String marker, Instant started, Instant ended, Kind kind, String detail) {
        boolean failed() {
            return kind != Kind.OK;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String endpoint;
    private final String apiKey;
    private final String run;
    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final List<Thread> agents = new ArrayList<>();
    private volatile boolean running = true;

    /** Starts {@code agents} agents calling one after another, each waiting for its answer before the next call. */
    AgentLoad(String endpoint, String apiKey, String run, int agentCount) {
        this.endpoint = endpoint;
        this.apiKey = apiKey;
        this.run = run;
        for (int i = 0; i < agentCount; i++) {
            agents.add(Thread.ofPlatform().name("agent-" + run + "-" + i).start(this::loop));
        }
    }

    private void loop() {
        while (running) {
            Call call = call(run + "-" + sequence.incrementAndGet());
            calls.add(call);
            // An agent thinks between calls (this also keeps the suite from saturating a 2-core build machine), and
            // backs off a little longer after an error, as the error's hint asks.
            pause(Duration.ofMillis(call.kind() == Kind.OK ? 50 : 250));
        }
    }

    private Call call(String marker) {
        Instant started = Instant.now();
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"create_item\","
                + "\"arguments\":{\"title\":\"fault-suite " + marker + "\",\"type\":\"task\"}}}";
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(endpoint)).timeout(CLIENT_TIMEOUT)
                    .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                    .header("MCP-Protocol-Version", "2025-06-18").header("Authorization", "Bearer " + apiKey)
                    .header("X-Request-Id", marker)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            return new Call(marker, started, Instant.now(), classify(r), r.statusCode() + " " + abbreviate(r.body()));
        } catch (HttpConnectTimeoutException e) {
            return new Call(marker, started, Instant.now(), Kind.UNREACHABLE, "connect timeout");
        } catch (HttpTimeoutException e) {
            return new Call(marker, started, Instant.now(), Kind.HUNG, "no answer within " + CLIENT_TIMEOUT);
        } catch (ConnectException e) {
            return new Call(marker, started, Instant.now(), Kind.UNREACHABLE, "connection refused");
        } catch (IOException e) {
            // The edge went away with the connection open (a restart): the agent sees a reset and retries.
            return new Call(marker, started, Instant.now(), Kind.UNREACHABLE, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Call(marker, started, Instant.now(), Kind.BROKEN, "interrupted");
        }
    }

    static Kind classify(HttpResponse<String> r) {
        JsonNode reply;
        try {
            reply = JSON.readTree(r.body());
        } catch (IOException notJson) {
            return Kind.BROKEN;
        }
        if (reply == null || !reply.isObject()) {
            return Kind.BROKEN;
        }
        if (r.statusCode() == 200 && reply.has("result")) {
            JsonNode result = reply.get("result");
            if (!result.path("isError").asBoolean(false)) {
                return Kind.OK;
            }
            return RETRYABLE.contains(ToolErrors.errorType(result)) ? Kind.RETRYABLE : Kind.BROKEN;
        }
        if (reply.has("error") && RETRYABLE.contains(reply.get("error").path("data").path("error_type").asText())) {
            return Kind.RETRYABLE;
        }
        return Kind.BROKEN;
    }

    /** Every call finished so far. */
    List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Waits until at least one call that started after {@code after} ran; answers when it ended, or null at the deadline. */
    Instant awaitSuccessAfter(Instant after, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            for (Call c : calls) {
                if (c.kind() == Kind.OK && !c.started().isBefore(after)) {
                    return c.ended();
                }
            }
            pause(Duration.ofMillis(100));
        }
        return null;
    }

    /** Waits until {@code n} more calls have finished. */
    void awaitCalls(int n, Duration timeout) {
        int target = calls.size() + n;
        Instant deadline = Instant.now().plus(timeout);
        while (calls.size() < target && Instant.now().isBefore(deadline)) {
            pause(Duration.ofMillis(50));
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : agents) {
            t.join(CLIENT_TIMEOUT.plusSeconds(10).toMillis());
        }
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    static Map<Kind, Long> countByKind(List<Call> calls) {
        Map<Kind, Long> counts = new java.util.EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            counts.put(k, calls.stream().filter(c -> c.kind() == k).count());
        }
        return counts;
    }
}
